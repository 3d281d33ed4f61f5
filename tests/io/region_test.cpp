#include <catch2/catch.hpp>

#include <string>
#include <tuple>

#include "core/error.h"
#include "io/region.h"

using Catch::Contains;
using genomamba::UsageError;
using genomamba::InputError;
using namespace genomamba::io;

TEST_CASE("parse_region: converts samtools syntax to 0-based half-open", "[io]") {
  const auto [text, contig, begin, end] = GENERATE(table<std::string, std::string, int64_t, int64_t>({
      {"chr1", "chr1", 0, kRegionEnd},
      {"chr1:", "chr1", 0, kRegionEnd},
      {"chr1:100", "chr1", 99, kRegionEnd},
      {"chr1:100-", "chr1", 99, kRegionEnd},
      {"chr1:100-200", "chr1", 99, 200},
      {"chr1:5-5", "chr1", 4, 5},
      {"chr1:-200", "chr1", 0, 200},
      {"chr1:1,000-2,000", "chr1", 999, 2000},
      {"chrUn_KI270302v1:1-10", "chrUn_KI270302v1", 0, 10},
      {"{HLA-DRB1*12:17}:3-9", "HLA-DRB1*12:17", 2, 9},
      {"{HLA-DRB1*12:17}", "HLA-DRB1*12:17", 0, kRegionEnd},
      {"chr1:1k-2k", "chr1", 999, 2000},
  }));
  INFO(text);
  const Region region = parse_region(text);
  CHECK(region.contig == contig);
  CHECK(region.begin == begin);
  CHECK(region.end == end);
  CHECK(region.source == "-r '" + text + "'");
}

TEST_CASE("parse_region: names the flag text and the problem", "[io]") {
  const auto [text, message] = GENERATE(table<std::string, std::string>({
      {"chr1:10-5", "-r 'chr1:10-5': end before start"},
      {"", "-r '': empty region"},
      {":1-10", "-r ':1-10': missing contig name"},
      {"chr1:0-10", "-r 'chr1:0-10': start position 0 is not valid (positions are 1-based)"},
      {"chr1:abc", "-r 'chr1:abc': start position 'abc' is not a number"},
      {"chr1:10-xyz", "-r 'chr1:10-xyz': end position 'xyz' is not a number"},
      {"chr1:1-2-3", "-r 'chr1:1-2-3': end position '2-3' is not a number"},
      {"chr1:-0", "-r 'chr1:-0': end position 0 is not valid (positions are 1-based)"},
      {"{chr1:1-10", "-r '{chr1:1-10': unmatched '{'"},
      {"{chr1}x", "-r '{chr1}x': expected ':' after '}'"},
      {"chr 1:1-10", "-r 'chr 1:1-10': contig name contains whitespace"},
  }));
  INFO(text);
  REQUIRE_THROWS_AS(parse_region(text), UsageError);
  REQUIRE_THROWS_WITH(parse_region(text), message);
}

TEST_CASE("to_string: writes 1-based inclusive samtools syntax", "[io]") {
  CHECK(to_string(Region{"chr1", 0, kRegionEnd, {}}) == "chr1");
  CHECK(to_string(Region{"chr1", 10, 20, {}}) == "chr1:11-20");
  CHECK(to_string(Region{"chr1", 10, kRegionEnd, {}}) == "chr1:11");
  CHECK(to_string(Region{"HLA:1", 0, 5, {}}) == "{HLA:1}:1-5");
  for (const std::string text : {"chr2:7-9", "{a:b}:1-2", "chrX:5", "chrM"}) {
    CHECK(to_string(parse_region(text)) == text);
  }
}

TEST_CASE("check_regions: accepts regions inside their contigs", "[io]") {
  const ContigLengths contigs = {{"chr1", 400}, {"chr2", 50}};
  CHECK_NOTHROW(check_regions({parse_region("chr1:1-400"), parse_region("chr2"), parse_region("chr2:50")}, contigs,
                              "ref.fa"));
}

TEST_CASE("check_regions: names an unknown contig and the input", "[io]") {
  const ContigLengths contigs = {{"chr1", 400}};
  REQUIRE_THROWS_AS(check_regions({parse_region("chrZ:1-10")}, contigs, "ref.fa"), InputError);
  REQUIRE_THROWS_WITH(check_regions({parse_region("chrZ:1-10")}, contigs, "ref.fa"),
                      "ref.fa: unknown contig 'chrZ' in region 'chrZ:1-10' (-r 'chrZ:1-10')");
  Region from_bed{"chrZ", 0, 10, "regions.bed:3"};
  REQUIRE_THROWS_WITH(check_regions({from_bed}, contigs, "ref.fa"),
                      "ref.fa: unknown contig 'chrZ' in region 'chrZ:1-10' (regions.bed:3)");
}

TEST_CASE("check_regions: names a region beyond its contig and the contig length", "[io]") {
  const ContigLengths contigs = {{"chr1", 400}};
  REQUIRE_THROWS_AS(check_regions({parse_region("chr1:1-401")}, contigs, "ref.fa"), InputError);
  REQUIRE_THROWS_WITH(check_regions({parse_region("chr1:1-401")}, contigs, "ref.fa"),
                      "ref.fa: region 'chr1:1-401' ends beyond contig 'chr1' (length 400) (-r 'chr1:1-401')");
  REQUIRE_THROWS_WITH(check_regions({parse_region("chr1:401")}, contigs, "ref.fa"),
                      Contains("region 'chr1:401' starts beyond the end of contig 'chr1' (length 400)"));
}
