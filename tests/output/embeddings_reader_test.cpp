#include "output/embeddings_reader.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "output/job_fixtures.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::InputError;
using genomamba::output::EmbeddingsReader;
using genomamba::output::EmbeddingsWriter;
using genomamba::output::JobIdentity;
using namespace genomamba::test;
namespace fs = std::filesystem;

TEST_CASE("EmbeddingsReader: reads back the layout, root attributes and any range of windows", "[output]") {
  const bool f16 = GENERATE(false, true);
  TempDir dir;
  const fs::path path = dir / "out.h5";
  run_job(path, JobIdentity{"sig", 0, 1}, 9, job_layout(f16));
  const EmbeddingsReader reader(path);
  CHECK(reader.complete());
  CHECK(reader.n_windows() == 9);
  CHECK(reader.layout().width == 3);
  CHECK(reader.layout().per_position);
  CHECK(reader.layout().logits);
  CHECK(reader.layout().pooled);
  CHECK(reader.layout().f16 == f16);

  const auto attrs = reader.root_attributes();
  const auto expected = job_attributes();
  CHECK(attrs.format == expected.format);
  CHECK(attrs.model_sha256 == expected.model_sha256);
  CHECK(attrs.model_config == expected.model_config);
  CHECK(attrs.window == expected.window);
  CHECK(attrs.stride == expected.stride);
  CHECK(attrs.input_paths == expected.input_paths);
  CHECK(attrs.extra.at("reference_path") == "ref.fa");
  CHECK(attrs.extra.at("job_signature") == "sig");
  CHECK(attrs.extra.at("shard") == "0/1");
  CHECK(attrs.extra_ints.at("n_rows_total") == 9);
  CHECK(attrs.extra.count("complete") + attrs.extra_ints.count("complete") == 0);

  const auto windows = reader.read_windows(3, 4);
  const auto want = job_windows({3, 4, 5, 6}, job_layout(f16));
  CHECK(windows.name == want.name);
  CHECK(windows.start == want.start);
  CHECK(windows.end == want.end);
  CHECK(same_bits({windows.pooled.span().begin(), windows.pooled.span().end()},
                  {want.pooled.span().begin(), want.pooled.span().end()}));
  CHECK(same_bits({windows.logits.span().begin(), windows.logits.span().end()},
                  {want.logits.span().begin(), want.logits.span().end()}));
  REQUIRE(windows.per_position.rows() == want.per_position.rows());
  if (!f16) {
    CHECK(same_bits({windows.per_position.span().begin(), windows.per_position.span().end()},
                    {want.per_position.span().begin(), want.per_position.span().end()}));
  }
  CHECK(reader.read_windows(9, 0).size() == 0);
  CHECK(reader.window_lengths() == std::vector<int64_t>{2, 3, 4, 5, 6, 2, 3, 4, 5});
}

TEST_CASE("EmbeddingsReader: names the file that is not an embeddings file", "[output]") {
  TempDir dir;
  write_file(dir / "text.h5", "hello\n");
  CHECK_THROWS_AS(EmbeddingsReader(dir / "text.h5"), InputError);
  CHECK_THROWS_WITH(EmbeddingsReader(dir / "text.h5"), Contains("text.h5: not a genomamba-embeddings file"));
  CHECK_THROWS_WITH(EmbeddingsReader(dir / "missing.h5"), Contains("missing.h5") && Contains("no such file"));
}
