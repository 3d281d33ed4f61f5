// Faults around a Job (docs/reliability.md, "Faults"): what an unfinished job leaves behind, the message after
// SIGINT/SIGTERM, and a signal while the output is assembled.
#include "output/job.h"

#include <catch2/catch.hpp>

#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "core/interrupt.h"
#include "output/job_fixtures.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::core::Interrupted;
using genomamba::output::Job;
using genomamba::output::JobIdentity;
using genomamba::test::TempDir;
using namespace genomamba::test;
namespace fs = std::filesystem;

namespace {

const JobIdentity kJob{"embed --window 8 --stride 6 in.fa sha", 0, 1};
constexpr int64_t kTotal = 11;

size_t count_entries(const fs::path& folder) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder)) ++n;
  return n;
}

// Points TMPDIR at `dir` for the object's lifetime.
class TmpdirOverride {
 public:
  explicit TmpdirOverride(const fs::path& dir) {
    const char* old = std::getenv("TMPDIR");
    had_ = old != nullptr;
    if (had_) old_ = old;
    setenv("TMPDIR", dir.c_str(), 1);
  }
  ~TmpdirOverride() {
    if (had_) setenv("TMPDIR", old_.c_str(), 1);
    else unsetenv("TMPDIR");
  }

 private:
  bool had_ = false;
  std::string old_;
};

}  // namespace

TEST_CASE("Job: an unfinished job writing to standard output removes its private folder", "[output]") {
  TempDir dir;
  const fs::path tmp = dir / "tmp";
  fs::create_directory(tmp);
  const TmpdirOverride tmpdir(tmp);
  {
    Job job("-", format_of(job_layout()), job_attributes(), kJob, false);
    commit_windows(job, shard_indices(kTotal, 0, 1), 0, 2, job_layout());
    CHECK(count_entries(tmp) == 1);  // genomamba-XXXXXX with the batches
  }  // destroyed without finish(): a failed or interrupted run
  CHECK(count_entries(tmp) == 0);
}

TEST_CASE("Job: an unfinished job keeps its batches for --resume and removes its lock file", "[output]") {
  TempDir dir;
  const fs::path out = dir / "out.h5";
  {
    Job job(out, format_of(job_layout()), job_attributes(), kJob, false);
    commit_windows(job, shard_indices(kTotal, 0, 1), 0, 2, job_layout());
    CHECK(fs::exists(out.string() + ".lock"));
  }
  CHECK(fs::exists(Job::batch_folder(out) / "batch_000005.h5"));
  CHECK_FALSE(fs::exists(out.string() + ".lock"));
  Job resumed(out, format_of(job_layout()), job_attributes(), kJob, true);
  CHECK(resumed.n_committed() == kTotal);
}

TEST_CASE("Job: interrupted() says how much is done and how to continue", "[output]") {
  TempDir dir;
  const fs::path out = dir / "out.h5";
  Job job(out, format_of(job_layout()), job_attributes(), kJob, false);
  commit_windows(job, {0, 1, 2, 3}, 0, 2, job_layout());
  const Interrupted e = job.interrupted(Interrupted(SIGTERM, "interrupted by SIGTERM"), "windows");
  CHECK(e.signal() == SIGTERM);
  CHECK_THAT(e.what(), Contains("interrupted by SIGTERM after 4 windows (kept in " + Job::batch_folder(out).string() +
                                "); run the same command with --resume to continue"));
  const TmpdirOverride tmpdir(dir.path());
  Job to_stdout("-", format_of(job_layout()), job_attributes(), kJob, false);
  CHECK_THAT(to_stdout.interrupted(Interrupted(SIGINT, "x"), "records").what(),
             Contains("interrupted by SIGINT after 0 records; a run writing to standard output cannot be resumed"));
}

TEST_CASE("Job: a signal while the output is assembled leaves no output and the batches whole", "[output]") {
  TempDir dir;
  const fs::path out = dir / "out.h5";
  {
    Job job(out, format_of(job_layout()), job_attributes(), kJob, false);
    commit_windows(job, shard_indices(kTotal, 0, 1), 0, 3, job_layout());
    raise(SIGTERM);  // the job's InterruptScope records it
    CHECK_THROWS_AS(job.finish(kTotal), Interrupted);
  }
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(fs::exists(out.string() + ".partial"));
  Job resumed(out, format_of(job_layout()), job_attributes(), kJob, true);
  CHECK(resumed.n_committed() == kTotal);
  resumed.finish(kTotal);
  CHECK(fs::exists(out));
  CHECK_FALSE(fs::exists(Job::batch_folder(out)));
}

TEST_CASE("merge_job_files: a signal stops it and leaves no output", "[output]") {
  TempDir dir;
  std::vector<fs::path> shards;
  for (int64_t i = 0; i < 2; ++i) {
    shards.push_back(dir / ("part" + std::to_string(i) + ".h5"));
    run_job(shards.back(), JobIdentity{kJob.signature, i, 2}, kTotal, job_layout(), 3);
  }
  const fs::path out = dir / "merged.h5";
  genomamba::core::InterruptScope scope;
  raise(SIGINT);  // recorded by the scope; merge looks at it between rows
  try {
    genomamba::output::merge_job_files(genomamba::output::EmbeddingsFormat(job_layout()), shards, out, "merge");
    FAIL("no exception");
  } catch (const Interrupted& e) {
    CHECK(e.signal() == SIGINT);
    CHECK_THAT(e.what(), Contains("interrupted by SIGINT; " + out.string() + " was not written"));
  }
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(fs::exists(out.string() + ".partial"));
}
