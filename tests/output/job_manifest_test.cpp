#include "output/job_manifest.h"

#include <catch2/catch.hpp>

#include <string>

#include "core/error.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::output::detail::JobManifest;
using namespace genomamba::output::detail;
using genomamba::test::TempDir;

namespace {

JobManifest sample() {
  JobManifest m;
  m.signature = "job 1\nwindow=64\nstride=48\ninput=/data/in.fa\n";
  m.shard_index = 1;
  m.shard_count = 3;
  m.model_sha256 = std::string(64, 'c');
  m.format = "genomamba-embeddings";
  m.layout_key = "embeddings width=16 pooled=1 per_position=1 f16=1 logits=0";
  return m;
}

}  // namespace

TEST_CASE("JobManifest: written and read back; damage is an InputError naming the file", "[output]") {
  TempDir dir;
  write_manifest(dir / "job.json", sample());
  CHECK_FALSE(std::filesystem::exists(dir / "job.json.tmp"));
  const JobManifest m = read_manifest(dir / "job.json");
  CHECK(describe_differences(m, sample()).empty());
  genomamba::test::write_file(dir / "bad.json", "{\"format\": \"genomamba-job\"");
  CHECK_THROWS_AS(read_manifest(dir / "bad.json"), genomamba::InputError);
  CHECK_THROWS_WITH(read_manifest(dir / "bad.json"), Contains("bad.json: damaged job manifest"));
}

TEST_CASE("JobManifest: describe_differences names each difference", "[output]") {
  JobManifest now = sample();
  now.shard_index = 2;
  now.signature = "job 1\nwindow=32\nstride=48\ninput=/data/in.fa\nlayer=3\n";
  now.layout_key = "embeddings width=16 pooled=1 per_position=1 f16=0 logits=0";
  const std::string text = describe_differences(sample(), now);
  CHECK_THAT(text, Contains("the shard (1/3 here, 2/3 now)"));
  CHECK_THAT(text, Contains("the options or inputs (layer (none) here, '3' now, window '64' here, '32' now)"));
  CHECK(text.find('\n') == std::string::npos);
  CHECK_THAT(text, Contains("output layout"));
  CHECK_THAT(text, !Contains("model"));
}

TEST_CASE("JobManifest: a signature that is not key=value lines is shown by its first difference", "[output]") {
  JobManifest was = sample(), now = sample();
  was.signature = std::string(100, 'x') + "abc";
  now.signature = std::string(100, 'x') + "abd";
  // 20 characters of context before the first difference (at 102).
  const std::string context = "…" + std::string(18, 'x') + "ab";
  CHECK_THAT(describe_differences(was, now),
             Contains("job signature '" + context + "c' here, '" + context + "d' now"));
}

TEST_CASE("parse_shard_text: i/N with 0 <= i < N only", "[output]") {
  int64_t i = -1, n = -1;
  CHECK(parse_shard_text("0/1", i, n));
  CHECK((i == 0 && n == 1));
  CHECK(parse_shard_text("12/13", i, n));
  CHECK((i == 12 && n == 13));
  for (const char* bad : {"", "1", "/3", "3/", "3/3", "-1/3", "a/3", "1/0", "1 /3"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_shard_text(bad, i, n));
  }
}
