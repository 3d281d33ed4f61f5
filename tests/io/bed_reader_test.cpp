#include <catch2/catch.hpp>

#include <string>

#include "core/error.h"
#include "io/region.h"
#include "support/temp_dir.h"
#include "hts_fixtures.h"

using Catch::Contains;
using genomamba::InputError;
using namespace genomamba::io;
using namespace genomamba::test;

TEST_CASE("read_bed: reads 0-based half-open regions and skips headers", "[io]") {
  TempDir dir;
  const auto path = (dir / "regions.bed").string();
  write_file(path,
             "track name=test\n"
             "browser position chr1:1-100\n"
             "# a comment\n"
             "\n"
             "chr1\t0\t100\n"
             "chr2\t5\t10\tname\t0\t+\n"
             "chr1\t200\t300\r\n"
             "   \n"
             "track\t1\t5\n"  // data on a contig named "track", not a header
             "chrX\t7\t8");  // no final newline
  const auto regions = read_bed(path);
  REQUIRE(regions.size() == 5);
  CHECK(regions[0] == Region{"chr1", 0, 100, {}});
  CHECK(regions[1] == Region{"chr2", 5, 10, {}});
  CHECK(regions[2] == Region{"chr1", 200, 300, {}});
  CHECK(regions[3] == Region{"track", 1, 5, {}});
  CHECK(regions[4] == Region{"chrX", 7, 8, {}});
  CHECK(regions[0].source == path + ":5");
  CHECK(regions[4].source == path + ":10");
}

TEST_CASE("read_bed: reads gzip and bgzip files", "[io]") {
  TempDir dir;
  write_file(dir / "regions.bed", "chr1\t0\t100\nchr2\t5\t10\n");
  const std::string tool = GENERATE("gzip", "bgzip");
  INFO(tool);
  run_tool(tool, "-c " + sh(dir / "regions.bed") + " > " + sh(dir / "regions.bed.gz"));
  const auto regions = read_bed((dir / "regions.bed.gz").string());
  REQUIRE(regions.size() == 2);
  CHECK(regions[1] == Region{"chr2", 5, 10, {}});
}

TEST_CASE("read_bed: names file and line of a malformed line", "[io]") {
  const auto [line, problem] = GENERATE(table<std::string, std::string>({
      {"chr1\t100", "too few columns (need chrom, start and end, tab-separated)"},
      {"chr1 0 100", "too few columns (need chrom, start and end, tab-separated)"},
      {"chr1\tx\t100", "start 'x' is not an integer"},
      {"chr1\t0\t1e3", "end '1e3' is not an integer"},
      {"chr1\t1.5\t100", "start '1.5' is not an integer"},
      {"chr1\t-5\t100", "negative start -5"},
      {"chr1\t0\t-1", "negative end -1"},
      {"chr1\t100\t50", "end before start"},
      {"chr1\t100\t100", "empty interval (end equals start)"},
      {"\t0\t100", "empty chrom column"},
      {"chr1\t\t100", "empty start column"},
      {"chr1\t0\t99999999999999999999", "end '99999999999999999999' is out of range"},
  }));
  TempDir dir;
  const auto path = (dir / "bad.bed").string();
  write_file(path, "# header\nchr1\t0\t10\n" + line + "\nchr1\t20\t30\n");
  INFO(line);
  REQUIRE_THROWS_AS(read_bed(path), InputError);
  REQUIRE_THROWS_WITH(read_bed(path), path + ":3: " + problem + "; got '" + line + "'");
}

TEST_CASE("read_bed: a file without regions is an error", "[io]") {
  TempDir dir;
  const auto path = (dir / "empty.bed").string();
  write_file(path, "track name=x\n# nothing\n\n");
  REQUIRE_THROWS_WITH(read_bed(path), path + ": no regions");
}

TEST_CASE("read_bed: names a missing file", "[io]") {
  TempDir dir;
  const auto path = (dir / "absent.bed").string();
  REQUIRE_THROWS_AS(read_bed(path), InputError);
  REQUIRE_THROWS_WITH(read_bed(path), path + ": cannot open: No such file or directory");
}
