#include <catch2/catch.hpp>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <string>

#include "core/error.h"
#include "io/reference_fasta.h"
#include "support/temp_dir.h"
#include "hts_fixtures.h"

using Catch::Contains;
using Catch::StartsWith;
using genomamba::InputError;
using namespace genomamba::io;
using namespace genomamba::test;

namespace {

// chr1 spans several BGZF blocks once bgzipped (so the .gzi is used) and has a soft-masked stretch at its start.
struct Genome {
  std::string chr1;
  std::string chr2;
  Genome() : chr1(random_bases(150000, 3)), chr2(random_bases(77, 5)) {
    for (size_t i = 0; i < 40; ++i) chr1[i] = static_cast<char>(std::tolower(chr1[i]));
    for (size_t i = 100000; i < 100500; ++i) chr1[i] = static_cast<char>(std::tolower(chr1[i]));
  }
  std::string fasta() const { return fasta_record("chr1 masked", chr1) + fasta_record("chr2", chr2, 50); }
};

// Writes ref.fa (plain) or ref.fa.gz (bgzip) and indexes it with samtools faidx.
std::string indexed_reference(const TempDir& dir, const Genome& genome, bool bgzipped) {
  write_file(dir / "ref.fa", genome.fasta());
  std::filesystem::path path = dir / "ref.fa";
  if (bgzipped) {
    run_tool("bgzip", "-c " + sh(dir / "ref.fa") + " > " + sh(dir / "ref.fa.gz"));
    path = dir / "ref.fa.gz";
  }
  run_tool("samtools", "faidx " + sh(path));
  return path.string();
}

}  // namespace

TEST_CASE("ReferenceFasta: fetches spans with case kept, at both contig ends, plain and bgzip", "[io]") {
  TempDir dir;
  const Genome genome;
  const bool bgzipped = GENERATE(false, true);
  INFO("bgzip: " << bgzipped);
  const std::string path = indexed_reference(dir, genome, bgzipped);
  if (bgzipped) REQUIRE(std::filesystem::exists(path + ".gzi"));
  const ReferenceFasta reference(path);
  CHECK(reference.path() == path);
  REQUIRE(reference.contigs().size() == 2);
  CHECK(reference.contigs()[0].name == "chr1");
  CHECK(reference.contigs()[0].length == 150000);
  CHECK(reference.contigs()[1].name == "chr2");
  CHECK(reference.contigs()[1].length == 77);
  CHECK(reference.contig_length("chr2") == 77);
  CHECK(reference.contig_length("chrZ") == -1);

  CHECK(reference.fetch("chr1", 0, 50) == genome.chr1.substr(0, 50));  // starts lower case
  CHECK(reference.fetch("chr1", 0, 1) == std::string(1, genome.chr1[0]));
  CHECK(std::islower(static_cast<unsigned char>(reference.fetch("chr1", 0, 1)[0])));
  CHECK(reference.fetch("chr1", 99990, 100010) == genome.chr1.substr(99990, 20));
  CHECK(reference.fetch("chr1", 149990, 150000) == genome.chr1.substr(149990));
  CHECK(reference.fetch("chr1", 149999, 150000) == genome.chr1.substr(149999));
  CHECK(reference.fetch("chr2", 0, 77) == genome.chr2);
  CHECK(reference.fetch("chr2", 76, 77) == genome.chr2.substr(76));
  CHECK(reference.fetch("chr2", 10, 10).empty());
  CHECK(reference.fetch("chr2", 77, 77).empty());
  CHECK(reference.fetch("chr1", 60000, 70000) == genome.chr1.substr(60000, 10000));  // crosses BGZF blocks
}

TEST_CASE("ReferenceFasta: an unknown contig or a span outside the contig names path, contig and span", "[io]") {
  TempDir dir;
  const std::string path = indexed_reference(dir, Genome(), true);
  const ReferenceFasta reference(path);
  REQUIRE_THROWS_AS(reference.fetch("chrZ", 0, 10), InputError);
  REQUIRE_THROWS_WITH(reference.fetch("chrZ", 0, 10),
                      path + ": unknown contig 'chrZ' (fetching chrZ:[0, 10) (0-based, end excluded))");
  REQUIRE_THROWS_AS(reference.fetch("chr2", 70, 78), InputError);
  REQUIRE_THROWS_WITH(reference.fetch("chr2", 70, 78),
                      path + ": span chr2:[70, 78) (0-based, end excluded) ends beyond contig 'chr2' (length 77)");
  REQUIRE_THROWS_WITH(reference.fetch("chr2", 78, 80), Contains("ends beyond contig 'chr2' (length 77)"));
  REQUIRE_THROWS_AS(reference.fetch("chr1", -5, 10), InputError);
  REQUIRE_THROWS_WITH(reference.fetch("chr1", -5, 10),
                      path + ": span chr1:[-5, 10) (0-based, end excluded) starts before contig 'chr1'");
}

TEST_CASE("ReferenceFasta: a missing .fai or .gzi names the samtools command", "[io]") {
  TempDir dir;
  SECTION("plain FASTA without .fai") {
    write_file(dir / "ref.fa", Genome().fasta());
    const std::string path = (dir / "ref.fa").string();
    REQUIRE_THROWS_AS(ReferenceFasta(path), InputError);
    REQUIRE_THROWS_WITH(ReferenceFasta(path),
                        path + ": a reference FASTA needs its index (.fai): run 'samtools faidx " + path + "'");
    CHECK_FALSE(std::filesystem::exists(path + ".fai"));  // never built behind the user's back
  }
  SECTION("bgzip FASTA without .gzi") {
    const std::string path = indexed_reference(dir, Genome(), true);
    std::filesystem::remove(path + ".gzi");
    REQUIRE_THROWS_AS(ReferenceFasta(path), InputError);
    REQUIRE_THROWS_WITH(ReferenceFasta(path), StartsWith(path + ": a bgzip-compressed reference FASTA needs its "
                                                                "'.gzi' index too: run 'samtools faidx " + path));
  }
}

TEST_CASE("ReferenceFasta: a missing file, plain gzip, or a file that is not FASTA", "[io]") {
  TempDir dir;
  const std::string missing = (dir / "nope.fa").string();
  REQUIRE_THROWS_AS(ReferenceFasta(missing), InputError);
  REQUIRE_THROWS_WITH(ReferenceFasta(missing), missing + ": cannot open: No such file or directory");

  write_file(dir / "ref.fa", Genome().fasta());
  run_tool("gzip", "-c " + sh(dir / "ref.fa") + " > " + sh(dir / "ref.fa.gz"));
  const std::string gz = (dir / "ref.fa.gz").string();
  REQUIRE_THROWS_AS(ReferenceFasta(gz), InputError);
  REQUIRE_THROWS_WITH(ReferenceFasta(gz),
                      StartsWith(gz + ": a reference FASTA needs random access, but this one is compressed with "
                                      "plain gzip") && Contains("bgzip"));

  write_file(dir / "calls.vcf", "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
  const std::string vcf = (dir / "calls.vcf").string();
  REQUIRE_THROWS_WITH(ReferenceFasta(vcf), StartsWith(vcf + ": not a FASTA file (") &&
                                               Contains("expected a reference FASTA"));
}

TEST_CASE("ReferenceFasta: a stale .fai is refused at open or at the first fetch of the contig", "[io]") {
  TempDir dir;
  const Genome genome;
  const std::string path = indexed_reference(dir, genome, false);
  SECTION("older than the FASTA") {
    std::filesystem::last_write_time(path, std::filesystem::last_write_time(path + ".fai") + std::chrono::seconds(10));
    REQUIRE_THROWS_WITH(ReferenceFasta(path), path + ": FASTA index '" + path +
                                                  ".fai' is older than the FASTA file (stale); rebuild it with "
                                                  "'samtools faidx " + path + "'");
  }
  SECTION("newer, but the file changed under it") {
    write_file(path, fasta_record("chr1_renamed_with_a_longer_header", genome.chr1) +
                         fasta_record("chr2", genome.chr2));
    std::filesystem::last_write_time(path + ".fai", std::filesystem::last_write_time(path) + std::chrono::seconds(10));
    const ReferenceFasta reference(path);
    REQUIRE_THROWS_AS(reference.fetch("chr1", 1000, 1010), InputError);
    REQUIRE_THROWS_WITH(reference.fetch("chr1", 1000, 1010),
                        StartsWith(path + ": FASTA index '" + path + ".fai' does not match the file ("));
  }
}
