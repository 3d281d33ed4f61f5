#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "io/sequence_source.h"
#include "support/stdio_redirect.h"
#include "support/temp_dir.h"
#include "hts_fixtures.h"

using Catch::Contains;
using Catch::StartsWith;
using genomamba::ConfigError;
using genomamba::InputError;
using namespace genomamba::io;
using namespace genomamba::test;

namespace {

const std::string kFasta = ">chr1 first\nACGTacgtNN\nGGCC\n>chr2\nttttRYKM\n";

InputSpec spec_for(const std::filesystem::path& path) {
  InputSpec spec;
  spec.path = path.string();
  return spec;
}

// A FASTA of several BGZF blocks (bgzip writes 64 KiB of input per block).
std::string big_fasta() {
  std::string text;
  for (int i = 0; i < 40; ++i) text += fasta_record(std::string("r").append(std::to_string(i)), random_bases(5000, i + 1U));
  return text;
}

}  // namespace

TEST_CASE("open_sequence_source: streams plain, gzip and bgzip FASTA", "[io]") {
  TempDir dir;
  write_file(dir / "in.fa", kFasta);
  const std::string tool = GENERATE("cat", "gzip", "bgzip");
  INFO(tool);
  const auto path = dir / ("in." + tool + ".fa");
  run_tool(tool, (tool == "cat" ? "" : "-c ") + sh(dir / "in.fa") + " > " + sh(path));
  auto source = open_sequence_source(spec_for(path));
  CHECK(source->path() == path.string());
  CHECK(source->contig_lengths().empty());
  std::vector<SequenceRecord> records;
  SequenceRecord record;
  while (source->next(record)) records.push_back(record);
  REQUIRE(records.size() == 2);
  CHECK(records[0].name == "chr1");
  CHECK(records[0].sequence == "ACGTacgtNNGGCC");
  CHECK(records[0].offset == 0);
  CHECK(records[1].name == "chr2");
  CHECK(records[1].sequence == "ttttRYKM");
  CHECK(records[1].index == 1);
}

TEST_CASE("open_sequence_source: streams FASTQ", "[io]") {
  TempDir dir;
  write_file(dir / "in.fq", "@r1 x\nACGTN\n+\nIIIII\n@r2\nacg\n+\n!!#\n");
  const auto records = read_all(spec_for(dir / "in.fq"));
  REQUIRE(records.size() == 2);
  CHECK(records[0].name == "r1");
  CHECK(records[1].sequence == "acg");
}

TEST_CASE("open_sequence_source: reads FASTA from standard input", "[io]") {
  TempDir dir;
  write_file(dir / "in.fa", kFasta);
  run_tool("bgzip", "-c " + sh(dir / "in.fa") + " > " + sh(dir / "in.fa.gz"));
  std::vector<SequenceRecord> records;
  {
    const genomamba::test::StdinFromFile redirect(dir / "in.fa.gz");
    records = read_all(spec_for("-"));
  }
  REQUIRE(records.size() == 2);
  CHECK(records[1].sequence == "ttttRYKM");
}

TEST_CASE("open_sequence_source: reads bgzip FASTA from a pipe", "[io]") {
  TempDir dir;
  const std::string fasta = big_fasta();
  write_file(dir / "in.fa", fasta);
  run_tool("bgzip", "-c " + sh(dir / "in.fa") + " > " + sh(dir / "in.fa.gz"));
  const auto records = read_all_from_pipe(read_file(dir / "in.fa.gz"), InputSpec{});
  REQUIRE(records.size() == 40);
  CHECK(records[39].name == "r39");
  CHECK(records[39].sequence == random_bases(5000, 40));
}

TEST_CASE("open_sequence_source: regions on standard input or FASTQ are a config error", "[io]") {
  TempDir dir;
  write_file(dir / "in.fq", "@r1\nACGT\n+\nIIII\n");
  InputSpec spec = spec_for("-");
  spec.regions = {parse_region("chr1")};
  REQUIRE_THROWS_AS(open_sequence_source(spec), ConfigError);
  spec.path = (dir / "in.fq").string();
  REQUIRE_THROWS_AS(open_sequence_source(spec), ConfigError);
  REQUIRE_THROWS_WITH(open_sequence_source(spec), Contains("is FASTQ"));
}

TEST_CASE("open_sequence_source: empty input is an error", "[io]") {
  TempDir dir;
  write_file(dir / "empty.fa", "");
  run_tool("gzip", "-c " + sh(dir / "empty.fa") + " > " + sh(dir / "empty.fa.gz"));
  for (const std::string name : {"empty.fa", "empty.fa.gz"}) {
    const auto path = (dir / name).string();
    INFO(path);
    REQUIRE_THROWS_AS(open_sequence_source(spec_for(path)), InputError);
    REQUIRE_THROWS_WITH(open_sequence_source(spec_for(path)), path + ": empty input (no data)");
  }
}

TEST_CASE("open_sequence_source: names a missing file and an unsupported format", "[io]") {
  TempDir dir;
  const auto absent = (dir / "absent.fa").string();
  REQUIRE_THROWS_WITH(open_sequence_source(spec_for(absent)), absent + ": cannot open: No such file or directory");
  write_file(dir / "calls.vcf", "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
  const auto vcf = (dir / "calls.vcf").string();
  REQUIRE_THROWS_AS(open_sequence_source(spec_for(vcf)), InputError);
  REQUIRE_THROWS_WITH(open_sequence_source(spec_for(vcf)),
                      StartsWith(vcf + ": unsupported input format (") &&
                          Contains("expected FASTA, FASTQ, SAM, BAM or CRAM"));
}

TEST_CASE("open_sequence_source: a bgzip FASTA without its end-of-file marker is truncated", "[io]") {
  TempDir dir;
  write_file(dir / "in.fa", big_fasta());
  run_tool("bgzip", "-c " + sh(dir / "in.fa") + " > " + sh(dir / "in.fa.gz"));
  const std::string gz = read_file(dir / "in.fa.gz");
  // The BGZF end-of-file marker is an empty 28-byte block: without it every block is whole, but the file is cut.
  const auto path = (dir / "cut.fa.gz").string();
  write_file(path, gz.substr(0, gz.size() - 28));
  REQUIRE_THROWS_AS(open_sequence_source(spec_for(path)), InputError);
  REQUIRE_THROWS_WITH(open_sequence_source(spec_for(path)),
                      path + ": truncated file: the BGZF end-of-file marker is missing");
}

TEST_CASE("open_sequence_source: a bgzip FASTA cut inside a block is a read error", "[io]") {
  TempDir dir;
  write_file(dir / "in.fa", big_fasta());
  run_tool("bgzip", "-c " + sh(dir / "in.fa") + " > " + sh(dir / "in.fa.gz"));
  const std::string gz = read_file(dir / "in.fa.gz");
  const auto path = (dir / "cut.fa.gz").string();
  write_file(path, gz.substr(0, gz.size() / 2));
  // Either the marker check at open or the first damaged block names the file.
  const auto read_everything = [&] { return read_all(spec_for(path)); };
  REQUIRE_THROWS_AS(read_everything(), InputError);
  REQUIRE_THROWS_WITH(read_everything(), StartsWith(path + ": ") && Contains("truncated"));
}

TEST_CASE("open_sequence_source: non-nucleotide letters are refused by record, in the first record as in any", "[io]") {
  // htslib calls a FASTA whose first record holds X, digits or '*' "unknown text"; the record is named instead.
  TempDir dir;
  for (const std::string text : {">r1\nACGTXACGT\n", ">r1\nACGT\n>r2\nACGTXACGT\n"}) {
    write_file(dir / "in.fa", text);
    const auto path = (dir / "in.fa").string();
    INFO(text);
    const auto drain = [&] {
      auto source = open_sequence_source(spec_for(path));
      SequenceRecord record;
      while (source->next(record)) {
      }
    };
    REQUIRE_THROWS_AS(drain(), InputError);
    REQUIRE_THROWS_WITH(drain(), StartsWith(path + ": record ") && Contains("'X' at base 5 is not a nucleotide code"));
  }
}
