#include "output/embeddings_format.h"
#include "output/job.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "output/job_fixtures.h"
#include "output/h5_read_back.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::ConfigError;
using genomamba::InputError;
using genomamba::output::Job;
using genomamba::output::JobIdentity;
using genomamba::test::H5File;
using genomamba::test::TempDir;
using namespace genomamba::test;
namespace fs = std::filesystem;

namespace {

const JobIdentity kJob{"embed --window 8 --stride 6 in.fa sha", 0, 1};
constexpr int64_t kTotal = 11;

fs::path folder_of(const fs::path& out) { return Job::batch_folder(out); }

size_t count_files(const fs::path& folder) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder)) ++n;
  return n;
}

// A run killed after committing the windows [0, n_windows) in batches of two.
void interrupted_run(const fs::path& out, int64_t n_windows, const JobIdentity& identity = kJob) {
  Job job(out, format_of(job_layout()), job_attributes(), identity, false);
  std::vector<int64_t> indices = shard_indices(kTotal, identity.shard_index, identity.shard_count);
  indices.resize(static_cast<size_t>(n_windows));
  commit_windows(job, indices, 0, 2, job_layout());
}  // destroyed without finish(), as a killed process leaves it

}  // namespace

TEST_CASE("Job: commit and finish write the embeddings layout and remove the batch folder", "[output]") {
  TempDir dir;
  const fs::path out = dir / "out.h5";
  {
    Job job(out, format_of(job_layout()), job_attributes(), kJob, false);
    CHECK(job.n_committed() == 0);
    CHECK_FALSE(job.already_complete());
    commit_windows(job, shard_indices(kTotal, 0, 1), 0, 4, job_layout());
    CHECK(job.n_committed() == kTotal);
    CHECK(fs::exists(folder_of(out) / "job.json"));
    CHECK(fs::exists(folder_of(out) / "batch_000002.h5"));
    CHECK_FALSE(fs::exists(out));
    job.finish(kTotal);
  }
  CHECK_FALSE(fs::exists(folder_of(out)));
  CHECK_FALSE(fs::exists(out.string() + ".partial"));
  H5File f(out);
  CHECK(f.int_attribute("complete") == 1);
  CHECK(f.int_attribute("n_rows_total") == kTotal);
  CHECK(f.string_attribute("shard") == "0/1");
  CHECK(f.string_attribute("job_signature") == kJob.signature);
  CHECK(f.string_attribute("reference_path") == "ref.fa");
  CHECK(f.shape("/windows/embedding") == std::vector<hsize_t>{kTotal, 3});
  const auto expected = job_windows(shard_indices(kTotal, 0, 1), job_layout());
  CHECK(f.strings("/windows/name") == expected.name);
  CHECK(f.ints("/windows/start") == expected.start);
  CHECK(f.ints("/windows/end") == expected.end);
  CHECK(same_bits(f.floats("/positions/embedding"),
                  std::vector<float>(expected.per_position.span().begin(), expected.per_position.span().end())));
  CHECK(same_bits(f.floats("/positions/logits"),
                  std::vector<float>(expected.logits.span().begin(), expected.logits.span().end())));

  TempDir other;  // the batch size does not change the result
  run_job(other / "out.h5", kJob, kTotal, job_layout(), 1);
  require_same_datasets(out, other / "out.h5");
}

TEST_CASE("Job: resume continues after the last committed batch", "[output]") {
  TempDir dir;
  const fs::path out = dir / "out.h5", direct = dir / "direct.h5";
  run_job(direct, kJob, kTotal, job_layout());
  interrupted_run(out, 6);
  REQUIRE(count_files(folder_of(out)) == 4);  // job.json + 3 batches
  {
    Job job(out, format_of(job_layout()), job_attributes(), kJob, true);
    REQUIRE(job.n_committed() == 6);
    commit_windows(job, shard_indices(kTotal, 0, 1), 6, 3, job_layout());
    job.finish(kTotal);
  }
  CHECK_FALSE(fs::exists(folder_of(out)));
  require_same_datasets(out, direct);

  SECTION("resume with no batch folder and no output starts from zero") {
    TempDir fresh;
    Job job(fresh / "x.h5", format_of(job_layout()), job_attributes(), kJob, true);
    CHECK(job.n_committed() == 0);
    CHECK_FALSE(job.already_complete());
  }
}

TEST_CASE("Job: an existing batch folder needs --resume", "[output]") {
  TempDir dir;
  interrupted_run(dir / "out.h5", 4);
  CHECK_THROWS_WITH(Job(dir / "out.h5", format_of(job_layout()), job_attributes(), kJob, false),
                    Contains("--resume") && Contains("out.h5.partial.d"));
  CHECK_THROWS_AS(Job(dir / "out.h5", format_of(job_layout()), job_attributes(), kJob, false), ConfigError);
}

TEST_CASE("Job: resuming a different job is refused, naming what differs", "[output]") {
  TempDir dir;
  interrupted_run(dir / "out.h5", 4);
  auto resume = [&](const JobIdentity& id, const genomamba::output::EmbeddingsLayout& layout, const std::string& sha) {
    auto attrs = job_attributes();
    attrs.model_sha256 = sha;
    Job job(dir / "out.h5", format_of(layout), attrs, id, true);
  };
  const std::string sha(64, 'a');
  CHECK_THROWS_AS(resume({"other signature", 0, 1}, job_layout(), sha), ConfigError);
  CHECK_THROWS_WITH(resume({"other signature", 0, 1}, job_layout(), sha), Contains("the options or inputs"));
  CHECK_THROWS_WITH(resume({kJob.signature, 1, 3}, job_layout(), sha), Contains("shard (0/1 here, 1/3 now)"));
  CHECK_THROWS_WITH(resume(kJob, job_layout(true), sha), Contains("output layout"));
  CHECK_THROWS_WITH(resume(kJob, job_layout(), std::string(64, 'b')), Contains("model"));
  // The refused runs left the folder as it was.
  Job job(dir / "out.h5", format_of(job_layout()), job_attributes(), kJob, true);
  CHECK(job.n_committed() == 4);
}

TEST_CASE("Job: temporary files of a killed commit are deleted on resume", "[output]") {
  TempDir dir;
  const fs::path out = dir / "out.h5";
  interrupted_run(out, 4);
  for (const char* name : {"batch_000002.h5.tmp.partial", "batch_000002.h5.tmp", "job.json.tmp"}) {
    write_file(folder_of(out) / name, "torn");
  }
  Job job(out, format_of(job_layout()), job_attributes(), kJob, true);
  CHECK(job.n_committed() == 4);
  CHECK(count_files(folder_of(out)) == 3);
  commit_windows(job, shard_indices(kTotal, 0, 1), 4, 2, job_layout());
  job.finish(kTotal);
  TempDir other;
  run_job(other / "direct.h5", kJob, kTotal, job_layout());
  require_same_datasets(out, other / "direct.h5");
}

TEST_CASE("Job: a missing batch is damage, not an interruption", "[output]") {
  TempDir dir;
  interrupted_run(dir / "out.h5", 6);
  fs::remove(folder_of(dir / "out.h5") / "batch_000001.h5");
  CHECK_THROWS_AS(Job(dir / "out.h5", format_of(job_layout()), job_attributes(), kJob, true), InputError);
  CHECK_THROWS_WITH(Job(dir / "out.h5", format_of(job_layout()), job_attributes(), kJob, true),
                    Contains("batch_000001.h5 is missing") && Contains("damaged"));
}

TEST_CASE("Job: resuming a finished job reports it complete and keeps the output", "[output]") {
  TempDir dir;
  const fs::path out = dir / "out.h5";
  run_job(out, kJob, kTotal, job_layout());
  const auto before = fs::last_write_time(out);

  SECTION("no batch folder left") {}
  SECTION("killed while removing the batch folder (its manifest already gone)") {
    fs::create_directory(folder_of(out));
    write_file(folder_of(out) / "batch_000003.h5", "leftover");
  }
  {
    Job job(out, format_of(job_layout()), job_attributes(), kJob, true);
    CHECK(job.already_complete());
    CHECK(job.n_committed() == kTotal);
    job.finish(kTotal);
  }
  CHECK_FALSE(fs::exists(folder_of(out)));
  CHECK(fs::last_write_time(out) == before);
  CHECK(H5File(out).int_attribute("complete") == 1);
}

TEST_CASE("Job: a new run clears the leftovers of a finished job's batch folder", "[output]") {
  TempDir dir;
  const fs::path out = dir / "out.h5";
  run_job(out, kJob, kTotal, job_layout());
  fs::create_directory(folder_of(out));  // killed while removing it: the manifest is already gone
  write_file(folder_of(out) / "batch_000003.h5", "leftover");
  run_job(out, kJob, kTotal, job_layout());
  CHECK_FALSE(fs::exists(folder_of(out)));
  TempDir other;
  run_job(other / "direct.h5", kJob, kTotal, job_layout());
  require_same_datasets(out, other / "direct.h5");
}

TEST_CASE("Job: killed after renaming the output, before removing the manifest", "[output]") {
  TempDir dir;
  const fs::path out = dir / "out.h5";
  interrupted_run(out, kTotal);
  run_job(dir / "direct.h5", kJob, kTotal, job_layout());
  fs::copy_file(dir / "direct.h5", out);
  Job job(out, format_of(job_layout()), job_attributes(), kJob, true);
  CHECK(job.n_committed() == kTotal);
  job.finish(kTotal);
  CHECK_FALSE(fs::exists(folder_of(out)));
  require_same_datasets(out, dir / "direct.h5");
}

TEST_CASE("Job: resuming onto another job's output is refused", "[output]") {
  TempDir dir;
  run_job(dir / "out.h5", kJob, kTotal, job_layout());
  CHECK_THROWS_AS(Job(dir / "out.h5", format_of(job_layout()), job_attributes(), {"other", 0, 1}, true), ConfigError);
  CHECK_THROWS_WITH(Job(dir / "out.h5", format_of(job_layout()), job_attributes(), {"other", 0, 1}, true),
                    Contains("different job") && Contains("out.h5"));
}

TEST_CASE("Job: a run that committed nothing leaves no batch folder", "[output]") {
  TempDir dir;
  { Job job(dir / "out.h5", format_of(job_layout()), job_attributes(), kJob, false); }
  CHECK_FALSE(fs::exists(folder_of(dir / "out.h5")));
  CHECK_FALSE(fs::exists(dir / "out.h5"));
}
