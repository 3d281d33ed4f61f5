// End-to-end `genomamba embed --shard/--resume` and `genomamba merge` (issue 3): three shards merged equal
// an unsharded run, and a run killed with SIGKILL at several moments (a batch committed, several batches,
// during the final assembly, twice in a row) and resumed equals an uninterrupted run, dataset by dataset.
#include <catch2/catch.hpp>

#include <cstdio>
#include <chrono>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "output/h5_compare.h"
#include "support/data_path.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::test::CommandResult;
using genomamba::test::TempDir;
using genomamba::test::write_file;
namespace fs = std::filesystem;

namespace {

const std::string kOptions = " --window 64 --stride 48 --batch 2 --per-position --logits -@ 1 -q";

// Records of random bases (fixed seed) with the given lengths.
std::string random_fasta(const std::vector<int>& lengths) {
  std::mt19937 rng(20261123);
  std::string fasta;
  for (size_t r = 0; r < lengths.size(); ++r) {
    fasta += ">rec";
    fasta += std::to_string(r);
    fasta += '\n';
    for (int i = 0; i < lengths[r]; ++i) {
      fasta += "ACGT"[rng() % 4];
      if (i % 60 == 59 || i + 1 == lengths[r]) fasta += '\n';
    }
  }
  return fasta;
}

std::string embed_args(const fs::path& in, const fs::path& out) {
  return "embed -m " + genomamba::test::data_path("models/ph_tiny").string() + " -i " + in.string() + " -o " +
         out.string() + kOptions;
}

fs::path batch_folder(const fs::path& out) { return fs::path(out.string() + ".partial.d"); }

fs::path batch_file(const fs::path& out, int index) {
  char name[32];
  std::snprintf(name, sizeof name, "batch_%06d.h5", index);
  return batch_folder(out) / name;
}

// The run is resumed to the end; it must then equal the uninterrupted run.
void resume_and_compare(const fs::path& in, const fs::path& out, const fs::path& expected) {
  const CommandResult r = genomamba::test::run_genomamba(embed_args(in, out) + " --resume");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(fs::exists(batch_folder(out)));
  CHECK_FALSE(fs::exists(out.string() + ".partial"));
  genomamba::test::require_same_datasets(out, expected);
}

}  // namespace

TEST_CASE("genomamba embed --shard + merge: three shards merge into the unsharded result, each reading its own "
          "staged copy of the input", "[apps]") {
  TempDir dir;
  const fs::path in = dir / "in.fa";
  write_file(in, random_fasta({500, 300, 200, 130, 64, 40}));  // 26 windows of 64 (stride 48)
  const CommandResult direct = genomamba::test::run_genomamba(embed_args(in, dir / "direct.h5"));
  INFO(direct.err);
  REQUIRE(direct.exit_code == 0);
  // Each shard reads the input where a workflow manager would stage it for its task: shard 0 in place, shard 1
  // through a link in its own folder (Nextflow's default), shard 2 a copy with its own modification time.
  std::vector<fs::path> staged{in};
  for (const char* task : {"task1", "task2"}) fs::create_directory(dir / task);
  fs::create_symlink(in, dir / "task1" / "in.fa");
  fs::copy_file(in, dir / "task2" / "in.fa");
  fs::last_write_time(dir / "task2" / "in.fa", fs::last_write_time(in) + std::chrono::seconds(7));
  staged.push_back(dir / "task1" / "in.fa");
  staged.push_back(dir / "task2" / "in.fa");
  std::string parts;
  for (int i = 0; i < 3; ++i) {
    const fs::path part = dir / ("part" + std::to_string(i)).append(".h5");
    const CommandResult r = genomamba::test::run_genomamba(embed_args(staged[static_cast<size_t>(i)], part) +
                                                           " --shard " + std::to_string(i) + "/3");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    parts += ' ';
    parts += part.string();
  }
  const CommandResult merged = genomamba::test::run_genomamba(std::string("merge -o ").append((dir / "merged.h5").string()) + parts);
  INFO(merged.err);
  REQUIRE(merged.exit_code == 0);
  CHECK(merged.out.empty());
  genomamba::test::require_same_datasets(dir / "merged.h5", dir / "direct.h5");
  genomamba::test::H5File f(dir / "merged.h5");
  CHECK(f.shape("/windows/name") == std::vector<hsize_t>{26});
  CHECK(f.int_attribute("n_rows_total") == 26);

  SECTION("merge refuses an incomplete set of shards, leaving no output") {
    const CommandResult r = genomamba::test::run_genomamba("merge -o " + (dir / "bad.h5").string() + " " + (dir / "part0.h5").string() +
                                          " " + (dir / "part2.h5").string());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("genomamba merge: error:") && Contains("shard 1/3 is missing"));
    CHECK_FALSE(fs::exists(dir / "bad.h5"));
    CHECK_FALSE(fs::exists(dir / "bad.h5.partial"));
  }
  SECTION("merge refuses a shard whose copy of the input has other content") {
    std::string text = genomamba::test::read_file(in);
    text[text.size() / 2] = text[text.size() / 2] == 'A' ? 'C' : 'A';
    write_file(dir / "task2" / "other.fa", text);
    const fs::path other = dir / "other1.h5";
    REQUIRE(genomamba::test::run_genomamba(embed_args(dir / "task2" / "other.fa", other) + " --shard 1/3").exit_code == 0);
    const CommandResult r = genomamba::test::run_genomamba("merge -o " + (dir / "bad.h5").string() + " " +
                                                           (dir / "part0.h5").string() + " " + other.string() + " " +
                                                           (dir / "part2.h5").string());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("come from different jobs") && Contains("input_sha256"));
    CHECK_FALSE(fs::exists(dir / "bad.h5"));
  }
  SECTION("merge refuses a file that is not a shard") {
    const CommandResult r = genomamba::test::run_genomamba("merge -o " + (dir / "bad.h5").string() + " " + in.string());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("in.fa: not a genomamba HDF5 file"));
    CHECK_FALSE(fs::exists(dir / "bad.h5"));
  }
}

namespace {

// The kill tests' input (160 windows: 80 batches of 2, so that kills land mid-run) and its uninterrupted
// result, computed once for all sections.
struct KillFixture {
  TempDir dir;
  fs::path in = dir / "in.fa";
  fs::path expected = dir / "direct.h5";
  KillFixture() {
    write_file(in, random_fasta(std::vector<int>(16, 496)));  // 10 windows each
    const CommandResult r = genomamba::test::run_genomamba(embed_args(in, expected));
    if (r.exit_code != 0) throw std::runtime_error("uninterrupted run failed: " + r.err);
  }
};

const KillFixture& kill_fixture() {
  static const KillFixture fixture;
  return fixture;
}

}  // namespace

TEST_CASE("genomamba embed --resume: SIGKILL at any moment, then resume, equals an uninterrupted run",
          "[apps][slow]") {
  const KillFixture& fixture = kill_fixture();
  const fs::path& in = fixture.in;
  const fs::path& expected = fixture.expected;
  REQUIRE(genomamba::test::H5File(expected).shape("/windows/name") == std::vector<hsize_t>{160});
  TempDir dir;
  const fs::path out = dir / "out.h5";
  const fs::path log = dir / "log.txt";
  const std::string args = embed_args(in, out);
  auto has_batch = [&out](int index) { return [&out, index] { return fs::exists(batch_file(out, index)); }; };
  auto assembling = [&out] { return fs::exists(out.string() + ".partial"); };

  SECTION("killed after the first batch") {
    CHECK(genomamba::test::run_and_kill(args, has_batch(0), log));
    CHECK_FALSE(fs::exists(out));
    resume_and_compare(in, out, expected);
  }
  SECTION("killed after many batches") {
    CHECK(genomamba::test::run_and_kill(args, has_batch(40), log));
    resume_and_compare(in, out, expected);
  }
  SECTION("killed while assembling the output") {
    CHECK(genomamba::test::run_and_kill(args, assembling, log));
    CHECK_FALSE(fs::exists(out));
    resume_and_compare(in, out, expected);
  }
  SECTION("killed three times in a row: computing, computing again while resuming, then assembling") {
    CHECK(genomamba::test::run_and_kill(args, has_batch(5), log));
    CHECK(genomamba::test::run_and_kill(args + " --resume", has_batch(50), log));
    CHECK(genomamba::test::run_and_kill(args + " --resume", assembling, log));
    resume_and_compare(in, out, expected);
  }
  SECTION("without --resume the interrupted run is refused; with other options it is refused too") {
    CHECK(genomamba::test::run_and_kill(args, has_batch(3), log));
    CommandResult r = genomamba::test::run_genomamba(args);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("--resume") && Contains(batch_folder(out).string()));
    r = genomamba::test::run_genomamba(embed_args(in, out) + " --resume --strand fwd");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("different job"));
    r = genomamba::test::run_genomamba(embed_args(in, out) + " --resume --shard 1/2");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("shard (0/1 here, 1/2 now)"));
    resume_and_compare(in, out, expected);  // the refused runs changed nothing
  }
  SECTION("an input replaced by another of the same size (or only touched) is not resumed over") {
    const fs::path copy = dir / "in.fa";
    fs::copy_file(in, copy);
    const std::string copy_args = embed_args(copy, out);
    CHECK(genomamba::test::run_and_kill(copy_args, has_batch(3), log));
    // Same size, same first and last bases: only a base in the middle differs.
    std::string text = genomamba::test::read_file(copy);
    const size_t middle = text.size() / 2 + (text[text.size() / 2] == '\n' ? 1 : 0);
    text[middle] = text[middle] == 'A' ? 'C' : 'A';
    genomamba::test::write_file(copy, text);
    CommandResult r = genomamba::test::run_genomamba(copy_args + " --resume");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("different job") && Contains("input_sha256"));
    CHECK_FALSE(fs::exists(out));
    // Put back byte for byte but with a new modification time: refused too (the content may have changed
    // and changed back; only the unchanged file is trusted).
    fs::copy_file(in, copy, fs::copy_options::overwrite_existing);
    fs::last_write_time(copy, fs::last_write_time(copy) + std::chrono::seconds(5));
    r = genomamba::test::run_genomamba(copy_args + " --resume");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("input_mtime"));
    CHECK_FALSE(fs::exists(out));
  }
  SECTION("resuming a finished run says it is complete and keeps the output") {
    REQUIRE(genomamba::test::run_genomamba(args).exit_code == 0);
    const auto written = fs::last_write_time(out);
    const CommandResult r = genomamba::test::run_genomamba(embed_args(in, out) + " --resume");
    CHECK(r.exit_code == 0);
    CHECK(fs::last_write_time(out) == written);
    genomamba::test::require_same_datasets(out, expected);
  }
}

TEST_CASE("genomamba embed: a second run on a busy output is refused and leaves the first run's batches intact",
          "[apps]") {
  const KillFixture& fixture = kill_fixture();
  TempDir dir;
  const fs::path out = dir / "out.h5";
  const std::string args = embed_args(fixture.in, out);
  CommandResult second;
  // While the first run is between batches, the same command with --resume is started beside it.
  const bool killed = genomamba::test::run_and_kill(
      args,
      [&] {
        if (!fs::exists(batch_file(out, 0))) return false;
        second = genomamba::test::run_genomamba(args + " --resume");
        return true;
      },
      dir / "first.log");
  REQUIRE(killed);
  CHECK(second.exit_code == 1);
  CHECK_THAT(second.err, Contains(out.string() + ": another genomamba process is writing this output"));
  resume_and_compare(fixture.in, out, fixture.expected);
  CHECK_FALSE(fs::exists(out.string() + ".lock"));
}
