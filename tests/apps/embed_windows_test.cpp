// End-to-end runs of `genomamba embed` with windows: the tiling and its coordinates, the root attributes,
// the numerical identity of each window with a run on that window's bases alone, --pool none, --shard
// selection, the option checks and the progress line.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "io/hts_fixtures.h"
#include "output/h5_read_back.h"
#include "support/data_path.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::test::CommandResult;
using genomamba::test::H5File;
using genomamba::test::run_genomamba;
using genomamba::test::TempDir;
using genomamba::test::write_file;
namespace fs = std::filesystem;
namespace test = genomamba::test;

namespace {

std::string model_dir(const std::string& name) { return test::fixture_model(name); }


// Records for the window edge cases with --window 10: shorter than W, an exact multiple of W, a last
// window that is shifted left, and an all-N window.
struct Records {
  std::string a = test::random_bases(7, 1);                                      // < W: [0, 7)
  std::string b = test::random_bases(30, 2);                                     // 3 W
  std::string c = test::random_bases(25, 3);                                     // last window [15, 25)
  std::string n = test::random_bases(10, 4) + std::string(10, 'N') + "acgtn";  // 25: all-N window [10, 20)
  std::string fasta() const {
    return test::fasta_record("a", a) + test::fasta_record("b", b, 7) + test::fasta_record("c", c) +
           test::fasta_record("n", n);
  }
};

std::vector<hsize_t> dims(int64_t rows, int64_t cols) {
  return {static_cast<hsize_t>(rows), static_cast<hsize_t>(cols)};
}

// max |a - b| / max |b| over rows [a_row, +n) of `a` and [b_row, +n) of `b`, both [*, width].
double relative_error(const std::vector<float>& a, int64_t a_row, const std::vector<float>& b, int64_t b_row,
                      int64_t n, int64_t width) {
  double diff = 0.0, scale = 0.0;
  for (int64_t i = 0; i < n * width; ++i) {
    const double x = a[static_cast<size_t>(a_row * width + i)];
    const double y = b[static_cast<size_t>(b_row * width + i)];
    diff = std::max(diff, std::fabs(x - y));
    scale = std::max(scale, std::fabs(y));
  }
  return scale > 0.0 ? diff / scale : diff;
}

}  // namespace

TEST_CASE("genomamba embed: windows tile each record; coordinates and window/stride attributes", "[apps]") {
  TempDir dir;
  const Records records;
  write_file(dir / "in.fa", records.fasta());
  const auto out = dir / "out.h5";
  const std::string base = "embed -m " + model_dir("ph_tiny") + " -i " + (dir / "in.fa").string() + " -o " +
                           out.string() + " -q --window 10";

  SECTION("stride = window") {
    const auto r = run_genomamba(base + " --batch 3");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    H5File f(out);
    CHECK(f.strings("/windows/name") ==
          std::vector<std::string>{"a", "b", "b", "b", "c", "c", "c", "n", "n", "n"});
    CHECK(f.ints("/windows/start") == std::vector<int64_t>{0, 0, 10, 20, 0, 10, 15, 0, 10, 15});
    CHECK(f.ints("/windows/end") == std::vector<int64_t>{7, 10, 20, 30, 10, 20, 25, 10, 20, 25});
    CHECK(f.shape("/windows/embedding") == dims(10, 16));
    CHECK(f.int_attribute("window") == 10);
    CHECK(f.int_attribute("stride") == 10);
    CHECK(f.int_attribute("complete") == 1);
    for (float v : f.floats("/windows/embedding")) CHECK(std::isfinite(v));
  }
  SECTION("stride below the window overlaps") {
    const auto r = run_genomamba(base + " --stride 7");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    H5File f(out);
    // b (30): 0, 7, 14, then [20, 30); a (7): [0, 7).
    const auto start = f.ints("/windows/start");
    const auto names = f.strings("/windows/name");
    CHECK(names[0] == "a");
    CHECK(std::vector<int64_t>(start.begin() + 1, start.begin() + 5) == std::vector<int64_t>{0, 7, 14, 20});
    CHECK(f.int_attribute("stride") == 7);
  }
  SECTION("default window and stride are stored as used") {
    const auto r = run_genomamba("embed -m " + model_dir("ph_tiny") + " -i " + (dir / "in.fa").string() + " -o " +
                                 out.string() + " -q");
    REQUIRE(r.exit_code == 0);
    H5File f(out);
    CHECK(f.int_attribute("window") == 131072);
    CHECK(f.int_attribute("stride") == 131072);
    CHECK(f.ints("/windows/end") == std::vector<int64_t>{7, 30, 25, 25});
  }
}

TEST_CASE("genomamba embed: each window equals a run on that window's bases as a record of its own", "[apps]") {
  const auto [model, strand, stride] = GENERATE(table<std::string, std::string, int>(
      {{"ph_tiny", "both", 10}, {"ps_tiny", "fwd", 10}, {"ph_tiny", "fwd", 7}, {"ps_tiny", "both", 4}}));
  CAPTURE(model, strand, stride);
  TempDir dir;
  const Records records;
  write_file(dir / "in.fa", records.fasta());
  const std::string common = " -m " + model_dir(model) + " -q --per-position --logits --strand " + strand;
  const auto windowed = dir / "windowed.h5";
  auto r = run_genomamba("embed" + common + " -i " + (dir / "in.fa").string() + " -o " + windowed.string() +
                         " --window 10 --batch 2 --stride " + std::to_string(stride));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  H5File w(windowed);
  const auto names = w.strings("/windows/name");
  const auto start = w.ints("/windows/start");
  const auto end = w.ints("/windows/end");
  const auto offset = w.ints("/windows/offset");

  // One record per window, holding exactly its bases.
  std::string fasta;
  for (size_t k = 0; k < names.size(); ++k) {
    const std::string& seq = names[k] == "a" ? records.a : names[k] == "b" ? records.b
                             : names[k] == "c" ? records.c : records.n;
    std::string name(1, 'w');  // appended: GCC 12 warns falsely (-Wrestrict) on "w" + std::string&&
    name += std::to_string(k);
    fasta += test::fasta_record(name, seq.substr(static_cast<size_t>(start[k]),
                                                                    static_cast<size_t>(end[k] - start[k])));
  }
  write_file(dir / "windows.fa", fasta);
  const auto whole = dir / "whole.h5";
  r = run_genomamba("embed" + common + " -i " + (dir / "windows.fa").string() + " -o " + whole.string());
  REQUIRE(r.exit_code == 0);
  H5File s(whole);
  REQUIRE(s.strings("/windows/name").size() == names.size());
  CHECK(s.ints("/windows/offset") == offset);

  const int64_t width = static_cast<int64_t>(w.shape("/windows/embedding")[1]);
  const auto w_pooled = w.floats("/windows/embedding"), s_pooled = s.floats("/windows/embedding");
  const auto w_rows = w.floats("/positions/embedding"), s_rows = s.floats("/positions/embedding");
  const auto w_logits = w.floats("/positions/logits"), s_logits = s.floats("/positions/logits");
  for (size_t k = 0; k < names.size(); ++k) {
    CAPTURE(k, names[k], start[k]);
    const auto row = static_cast<int64_t>(k);
    CHECK(relative_error(w_pooled, row, s_pooled, row, 1, width) <= 1e-6);
    CHECK(relative_error(w_rows, offset[k], s_rows, offset[k], end[k] - start[k], width) <= 1e-6);
    CHECK(relative_error(w_logits, offset[k], s_logits, offset[k], end[k] - start[k], 4) <= 1e-6);
  }
}

TEST_CASE("genomamba embed: --pool none writes per-position rows without /windows/embedding", "[apps]") {
  TempDir dir;
  const Records records;
  write_file(dir / "in.fa", records.fasta());
  const auto out = dir / "out.h5";
  const auto r = run_genomamba("embed -m " + model_dir("ph_tiny") + " -i " + (dir / "in.fa").string() + " -o " +
                               out.string() + " -q --window 10 --pool none --per-position");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  H5File f(out);
  CHECK_FALSE(f.exists("/windows/embedding"));
  CHECK(f.ints("/windows/offset") == std::vector<int64_t>{0, 7, 17, 27, 37, 47, 57, 67, 77, 87});
  CHECK(f.shape("/positions/embedding") == dims(97, 16));

  const auto bad = run_genomamba("embed -m " + model_dir("ph_tiny") + " -i " + (dir / "in.fa").string() + " -o " +
                                 out.string() + " --pool none");
  CHECK(bad.exit_code == 2);  // a usage error: the command line alone shows it
  CHECK_THAT(bad.err, Contains("--pool none") && Contains("--per-position"));
}

TEST_CASE("genomamba embed: --shard i/N keeps the windows whose global index is i modulo N", "[apps]") {
  TempDir dir;
  write_file(dir / "in.fa", Records().fasta());
  const std::string base = "embed -m " + model_dir("ph_tiny") + " -i " + (dir / "in.fa").string() +
                           " -q --window 10 --batch 2";
  REQUIRE(run_genomamba(base + " -o " + (dir / "all.h5").string()).exit_code == 0);
  H5File all(dir / "all.h5");
  const auto names = all.strings("/windows/name");
  const auto start = all.ints("/windows/start");
  const auto pooled = all.floats("/windows/embedding");
  const int64_t n_shards = 3;
  for (int64_t i = 0; i < n_shards; ++i) {
    CAPTURE(i);
    const auto path = dir / ("shard" + std::to_string(i) + ".h5");
    const auto r = run_genomamba(base + " -o " + path.string() + " --shard " + std::to_string(i) + "/3");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    H5File f(path);
    CHECK(f.int_attribute("n_rows_total") == static_cast<int64_t>(names.size()));
    const auto shard_names = f.strings("/windows/name");
    const auto shard_start = f.ints("/windows/start");
    const auto shard_pooled = f.floats("/windows/embedding");
    for (size_t k = 0; k < shard_names.size(); ++k) {
      const size_t g = k * static_cast<size_t>(n_shards) + static_cast<size_t>(i);
      REQUIRE(g < names.size());
      CHECK(shard_names[k] == names[g]);
      CHECK(shard_start[k] == start[g]);
      CHECK(relative_error(shard_pooled, static_cast<int64_t>(k), pooled, static_cast<int64_t>(g), 1, 16) <= 1e-6);
    }
    CHECK(shard_names.size() == (names.size() - static_cast<size_t>(i) + 2) / 3);
  }
}

TEST_CASE("genomamba embed: bad window, stride, batch, shard and flag values are usage errors naming the flag",
          "[apps]") {
  const auto [args, flag] = GENERATE(table<std::string, std::string>({{"--window 0", "--window"},
                                                                      {"--stride 0", "--stride"},
                                                                      {"--batch 0", "--batch"},
                                                                      {"--shard 3/3", "--shard"},
                                                                      {"--shard 1", "--shard"},
                                                                      {"--shard -1/2", "--shard"},
                                                                      {"--shard 0/0", "--shard"},
                                                                      {"-F 0x10000", "--exclude-flags"},
                                                                      {"-F BOGUS", "--exclude-flags"},
                                                                      {"--min-mapq 256", "--min-mapq"},
                                                                      {"--pool max", "--pool"},
                                                                      {"--progress sometimes", "--progress"}}));
  CAPTURE(args);
  const auto r = run_genomamba("embed -m x -i y -o z " + args);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Contains(flag));
}

TEST_CASE("genomamba embed: help lists every flag and shows window, BAM and shard examples", "[apps]") {
  const auto r = run_genomamba("embed --help");
  REQUIRE(r.exit_code == 0);
  for (const char* flag : {"--region", "--regions-file", "--reference", "--exclude-flags", "--min-mapq", "--window",
                           "--stride", "--batch", "--pool", "--shard", "--resume", "--progress", "0-based"}) {
    CHECK_THAT(r.out, Contains(flag));
  }
  CHECK_THAT(r.out, Contains("--window 16384") && Contains("reads.bam") && Contains("--shard 0/4") &&
                        Contains("genomamba merge"));
}

TEST_CASE("genomamba embed: progress on request, with an ETA when the input's size is known", "[apps]") {
  TempDir dir;
  write_file(dir / "in.fa", Records().fasta());
  const std::string base = "embed -m " + model_dir("ph_tiny") + " -o " + (dir / "out.h5").string() +
                           " --window 10 --batch 1";
  SECTION("always: a redrawn line, then a newline, then the summary") {
    const auto r = run_genomamba(base + " -i " + (dir / "in.fa").string() + " --progress always");
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("\r4 records, 10 windows, 97 tokens") && Contains("[M::main] Version:"));
    CHECK(r.err.find("ETA") == std::string::npos);  // no .fai: size unknown
  }
  SECTION("an indexed FASTA gives a percentage and an ETA") {
    test::run_tool("samtools", "faidx " + test::sh(dir / "in.fa"));
    const auto r = run_genomamba(base + " -i " + (dir / "in.fa").string() + " --progress always");
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("100%, ETA 0:00:00"));
  }
  SECTION("never, -q, and auto when stderr is not a terminal: no progress") {
    for (const char* flags : {" --progress never", " -q --progress always", ""}) {
      const auto r = run_genomamba(base + " -i " + (dir / "in.fa").string() + flags);
      REQUIRE(r.exit_code == 0);
      CHECK(r.err.find('\r') == std::string::npos);
    }
  }
}
