#include <catch2/catch.hpp>

#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "io/sequence_source.h"
#include "support/temp_dir.h"
#include "hts_fixtures.h"

using Catch::Contains;
using Catch::StartsWith;
using genomamba::InputError;
using namespace genomamba::io;
using namespace genomamba::test;

namespace {

// chr1 spans several BGZF blocks once bgzipped (so the .gzi is exercised) and has a soft-masked stretch.
struct Genome {
  std::string chr1;
  std::string chr2;
  Genome() : chr1(random_bases(150000, 7)), chr2(random_bases(77, 11)) {
    for (size_t i = 65000; i < 66000; ++i) chr1[i] = static_cast<char>(std::tolower(chr1[i]));
  }
  std::string fasta() const { return fasta_record("chr1 masked", chr1) + fasta_record("chr2", chr2, 50); }
};

InputSpec spec_with(const std::filesystem::path& path, const std::vector<std::string>& regions) {
  InputSpec spec;
  spec.path = path.string();
  for (const auto& text : regions) spec.regions.push_back(parse_region(text));
  return spec;
}

// Writes ref.fa (plain) or ref.fa.gz (bgzip) and indexes it with samtools faidx.
std::filesystem::path indexed_fasta(const TempDir& dir, const Genome& genome, bool bgzipped) {
  write_file(dir / "ref.fa", genome.fasta());
  std::filesystem::path path = dir / "ref.fa";
  if (bgzipped) {
    run_tool("bgzip", "-c " + sh(dir / "ref.fa") + " > " + sh(dir / "ref.fa.gz"));
    path = dir / "ref.fa.gz";
  }
  run_tool("samtools", "faidx " + sh(path));
  return path;
}

// Makes `path` look modified after its index (or the index look older).
void make_newer(const std::filesystem::path& path, const std::filesystem::path& than) {
  std::filesystem::last_write_time(path, std::filesystem::last_write_time(than) + std::chrono::seconds(10));
}

}  // namespace

TEST_CASE("open_sequence_source: fetches FASTA regions through .fai and .gzi with offsets and case", "[io]") {
  TempDir dir;
  const Genome genome;
  const bool bgzipped = GENERATE(false, true);
  INFO("bgzip: " << bgzipped);
  const auto path = indexed_fasta(dir, genome, bgzipped);
  if (bgzipped) REQUIRE(std::filesystem::exists(dir / "ref.fa.gz.gzi"));
  const auto spec = spec_with(path, {"chr1:64,990-66,010", "chr2", "chr1:149,991", "chr1:-5", "chr1:64990-64990"});
  auto source = open_sequence_source(spec);
  CHECK(source->contig_lengths() == ContigLengths{{"chr1", 150000}, {"chr2", 77}});
  std::vector<SequenceRecord> records;
  SequenceRecord record;
  while (source->next(record)) records.push_back(record);
  REQUIRE(records.size() == 5);
  CHECK(records[0].name == "chr1");
  CHECK(records[0].offset == 64989);
  CHECK(records[0].sequence == genome.chr1.substr(64989, 1021));  // crosses into and out of the lower-case part
  CHECK(records[1].name == "chr2");
  CHECK(records[1].offset == 0);
  CHECK(records[1].sequence == genome.chr2);
  CHECK(records[2].offset == 149990);
  CHECK(records[2].sequence == genome.chr1.substr(149990));
  CHECK(records[3].offset == 0);
  CHECK(records[3].sequence == genome.chr1.substr(0, 5));
  CHECK(records[4].sequence == genome.chr1.substr(64989, 1));
  CHECK(records[4].index == 4);
}

TEST_CASE("open_sequence_source: FASTA regions from a BED file", "[io]") {
  TempDir dir;
  const Genome genome;
  const auto path = indexed_fasta(dir, genome, true);
  write_file(dir / "r.bed", "chr2\t10\t20\nchr1\t0\t3\n");
  InputSpec spec;
  spec.path = path.string();
  spec.regions = read_bed((dir / "r.bed").string());
  const auto records = read_all(spec);
  REQUIRE(records.size() == 2);
  CHECK(records[0].offset == 10);
  CHECK(records[0].sequence == genome.chr2.substr(10, 10));
  CHECK(records[1].sequence == genome.chr1.substr(0, 3));
}

TEST_CASE("open_sequence_source: FASTA regions without a .fai name the samtools command", "[io]") {
  TempDir dir;
  write_file(dir / "ref.fa", Genome().fasta());
  const auto path = (dir / "ref.fa").string();
  REQUIRE_THROWS_AS(open_sequence_source(spec_with(path, {"chr1:1-10"})), InputError);
  REQUIRE_THROWS_WITH(open_sequence_source(spec_with(path, {"chr1:1-10"})),
                      path + ": regions need a FASTA index: run 'samtools faidx " + path + "'");
}

TEST_CASE("open_sequence_source: a bgzip FASTA without its .gzi is an error", "[io]") {
  TempDir dir;
  const auto path = indexed_fasta(dir, Genome(), true);
  std::filesystem::remove(path.string() + ".gzi");
  REQUIRE_THROWS_WITH(open_sequence_source(spec_with(path, {"chr1:1-10"})),
                      Contains("'.gzi' index") && Contains("samtools faidx " + path.string()));
}

TEST_CASE("open_sequence_source: a .fai older than the FASTA is stale", "[io]") {
  TempDir dir;
  const bool bgzipped = GENERATE(false, true);
  const auto path = indexed_fasta(dir, Genome(), bgzipped);
  make_newer(path, path.string() + ".fai");
  REQUIRE_THROWS_AS(open_sequence_source(spec_with(path, {"chr1:1-10"})), InputError);
  REQUIRE_THROWS_WITH(open_sequence_source(spec_with(path, {"chr1:1-10"})),
                      path.string() + ": FASTA index '" + path.string() +
                          ".fai' is older than the FASTA file (stale); rebuild it with 'samtools faidx " +
                          path.string() + "'");
}

TEST_CASE("open_sequence_source: a .fai that does not match the FASTA is stale", "[io]") {
  TempDir dir;
  const Genome genome;
  const auto path = indexed_fasta(dir, genome, false);
  const auto fai = path.string() + ".fai";
  SECTION("headers changed, shifting every sequence") {
    write_file(path, fasta_record("chr1_renamed_2024 with a longer description", genome.chr1) +
                         fasta_record("chr2", genome.chr2, 50));
  }
  SECTION("the last contig got shorter") {
    write_file(path, fasta_record("chr1 masked", genome.chr1) + fasta_record("chr2", genome.chr2.substr(0, 60), 50));
  }
  make_newer(fai, path);  // the age check passes; the content check must catch it
  REQUIRE_THROWS_AS(read_all(spec_with(path, {"chr1:1-10", "chr2"})), InputError);
  REQUIRE_THROWS_WITH(read_all(spec_with(path, {"chr1:1-10", "chr2"})),
                      StartsWith(path.string() + ": FASTA index '" + fai + "' does not match the file (") &&
                          Contains("rebuild it with 'samtools faidx"));
}

TEST_CASE("open_sequence_source: FASTA regions need bgzip, not plain gzip", "[io]") {
  TempDir dir;
  write_file(dir / "ref.fa", Genome().fasta());
  run_tool("gzip", "-c " + sh(dir / "ref.fa") + " > " + sh(dir / "ref.fa.gz"));
  const auto path = (dir / "ref.fa.gz").string();
  REQUIRE_THROWS_AS(open_sequence_source(spec_with(path, {"chr1"})), InputError);
  REQUIRE_THROWS_WITH(open_sequence_source(spec_with(path, {"chr1"})),
                      StartsWith(path + ": regions need random access, but this FASTA is compressed with plain gzip") &&
                          Contains("bgzip"));
}

TEST_CASE("open_sequence_source: FASTA regions on an unknown contig or beyond a contig", "[io]") {
  TempDir dir;
  const auto path = indexed_fasta(dir, Genome(), true).string();
  REQUIRE_THROWS_AS(open_sequence_source(spec_with(path, {"chrZ:1-10"})), InputError);
  REQUIRE_THROWS_WITH(open_sequence_source(spec_with(path, {"chr2", "chrZ:1-10"})),
                      path + ": unknown contig 'chrZ' in region 'chrZ:1-10' (-r 'chrZ:1-10')");
  REQUIRE_THROWS_WITH(open_sequence_source(spec_with(path, {"chr2:70-78"})),
                      path + ": region 'chr2:70-78' ends beyond contig 'chr2' (length 77) (-r 'chr2:70-78')");
  REQUIRE_THROWS_WITH(open_sequence_source(spec_with(path, {"chr2:78"})),
                      Contains("region 'chr2:78' starts beyond the end of contig 'chr2' (length 77)"));
}
