#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "output/embeddings_format.h"
#include "output/job.h"
#include "output/job_fixtures.h"
#include "output/h5_read_back.h"
#include "output/hdf5_dataset.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::InputError;
using genomamba::output::JobIdentity;
using genomamba::output::merge_job_files;
using genomamba::test::H5File;
using genomamba::test::TempDir;
using namespace genomamba::test;
namespace fs = std::filesystem;

namespace {

const std::string kSignature = "embed --window 8 --stride 6 in.fa sha";

// Shards 0..N-1 of a job of `total` windows, as separate runs would write them.
std::vector<fs::path> write_shards(const TempDir& dir, int64_t total, int64_t n, bool f16 = false,
                                   const std::string& prefix = "part", bool pooled = true) {
  std::vector<fs::path> paths;
  for (int64_t i = 0; i < n; ++i) {
    paths.push_back(dir / (prefix + std::to_string(i) + ".h5"));
    run_job(paths.back(), JobIdentity{kSignature, i, n}, total, job_layout(f16, pooled), 3);
  }
  return paths;
}

// merge_job_files() with the format read from the first shard, as `genomamba merge` does.
void merge(const std::vector<fs::path>& shards, const fs::path& out, const std::string& command = "genomamba merge") {
  if (shards.empty()) {
    merge_job_files(genomamba::output::EmbeddingsFormat(job_layout()), shards, out, command);
    return;
  }
  merge_job_files(*genomamba::output::EmbeddingsFormat::of_file(shards.front()), shards, out, command);
}

void require_refused(const std::vector<fs::path>& shards, const fs::path& out, const std::string& message) {
  CHECK_THROWS_AS(merge(shards, out), InputError);
  CHECK_THROWS_WITH(merge(shards, out), Contains(message));
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(fs::exists(out.string() + ".partial"));
}

}  // namespace

TEST_CASE("merge_job_files (embeddings): N shards merge into the unsharded result", "[output]") {
  const auto [total, n, f16, pooled] = GENERATE(table<int64_t, int64_t, bool, bool>(
      {{11, 3, false, true}, {11, 3, true, true}, {11, 3, false, false}, {12, 4, false, true},
       {2, 3, false, true}, {7, 1, false, true}}));
  CAPTURE(total, n, f16, pooled);
  TempDir dir;
  run_job(dir / "direct.h5", JobIdentity{kSignature, 0, 1}, total, job_layout(f16, pooled), 5);
  std::vector<fs::path> shards = write_shards(dir, total, n, f16, "part", pooled);
  std::reverse(shards.begin(), shards.end());  // any order
  merge(shards, dir / "merged.h5", "genomamba merge -o merged.h5");
  require_same_datasets(dir / "merged.h5", dir / "direct.h5");
  CHECK(H5File(dir / "merged.h5").exists("/windows/embedding") == pooled);
  H5File merged(dir / "merged.h5"), direct(dir / "direct.h5");
  CHECK(merged.int_attribute("complete") == 1);
  CHECK(merged.string_attribute("shard") == "0/1");
  CHECK(merged.int_attribute("n_rows_total") == total);
  CHECK(merged.string_attribute("job_signature") == kSignature);
  CHECK(merged.string_attribute("command_line") == "genomamba merge -o merged.h5");
  for (const char* name : {"format", "model_sha256", "model_kind", "strand", "dtype", "reference_path"}) {
    CHECK(merged.string_attribute(name) == direct.string_attribute(name));
  }
  CHECK(merged.string_array_attribute("input_paths") == direct.string_array_attribute("input_paths"));
  CHECK(merged.int_attribute("window") == direct.int_attribute("window"));
}

TEST_CASE("merge_job_files (embeddings): refuses shards that do not make one whole job", "[output]") {
  TempDir dir;
  const fs::path out = dir / "merged.h5";
  const std::vector<fs::path> shards = write_shards(dir, 11, 3);

  SECTION("a missing shard") { require_refused({shards[0], shards[2]}, out, "shard 1/3 is missing"); }
  SECTION("a duplicated shard") {
    fs::copy_file(shards[1], dir / "copy.h5");
    require_refused({shards[0], shards[1], dir / "copy.h5"}, out, "are both shard 1/3");
  }
  SECTION("shards of a different N") {
    const auto other = write_shards(dir, 11, 2, false, "two");
    require_refused({shards[0], shards[1], other[1]}, out, "split the job differently");
  }
  SECTION("a shard of a different command") {
    run_job(dir / "other.h5", JobIdentity{"another command", 2, 3}, 11, job_layout(), 3);
    require_refused({shards[0], shards[1], dir / "other.h5"}, out, "different jobs");
  }
  SECTION("a shard of another layout") {
    run_job(dir / "other.h5", JobIdentity{kSignature, 2, 3}, 11, job_layout(false, false), 3);
    require_refused({shards[0], shards[1], dir / "other.h5"}, out, "have different layouts");
  }
  SECTION("a shard of a different model") {
    auto attrs = job_attributes();
    attrs.model_sha256 = std::string(64, 'b');
    run_job(dir / "other.h5", JobIdentity{kSignature, 2, 3}, 11, job_layout(), 3, attrs);
    require_refused({shards[0], shards[1], dir / "other.h5"}, out, "different models");
  }
  SECTION("an incomplete shard") {
    {
      genomamba::output::h5::Handle file(H5Fopen(shards[2].c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "open");
      genomamba::output::h5::write_attribute(file, "complete", int64_t{0});
    }
    require_refused(shards, out, "part2.h5: the file is incomplete");
  }
  SECTION("a file that is not HDF5") {
    write_file(dir / "text.h5", "not hdf5\n");
    require_refused({shards[0], shards[1], dir / "text.h5"}, out, "text.h5: not a genomamba-embeddings file");
  }
  SECTION("window counts that do not add up to n_rows_total") {
    run_job(dir / "short.h5", JobIdentity{kSignature, 2, 3}, 12, job_layout(), 3);
    require_refused({shards[0], shards[1], dir / "short.h5"}, out, "disagree on n_rows_total");
    const auto twelve = write_shards(dir, 12, 3, false, "twelve");
    // A shard with the wrong number of windows for its n_rows_total.
    run_job(dir / "bad.h5", JobIdentity{kSignature, 2, 3}, 11, job_layout(), 3);
    {
      genomamba::output::h5::Handle file(H5Fopen((dir / "bad.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "open");
      genomamba::output::h5::write_attribute(file, "n_rows_total", int64_t{12});
    }
    require_refused({twelve[0], twelve[1], dir / "bad.h5"}, out, "bad.h5: shard 2/3 has 3 rows");
  }
  SECTION("no shards") { require_refused({}, out, "no shard files"); }
}
