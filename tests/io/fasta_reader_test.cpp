#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "io/fasta_reader.h"
#include "support/run_command.h"
#include "support/stdio_redirect.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::InputError;
using genomamba::io::FastaReader;
using genomamba::io::SequenceRecord;
using namespace genomamba::test;

namespace {

std::vector<SequenceRecord> read_all(const std::string& path) {
  FastaReader reader(path);
  std::vector<SequenceRecord> records;
  SequenceRecord record;
  while (reader.next(record)) records.push_back(record);
  return records;
}

const std::string kFasta = ">chr1 first record\nACGTacgtNN\nGGCC\n>chr2\nttttRYKM\n";

void check_two_records(const std::vector<SequenceRecord>& records) {
  REQUIRE(records.size() == 2);
  CHECK(records[0].name == "chr1");
  CHECK(records[0].sequence == "ACGTacgtNNGGCC");
  CHECK(records[0].index == 0);
  CHECK(records[1].name == "chr2");
  CHECK(records[1].sequence == "ttttRYKM");
  CHECK(records[1].index == 1);
}

// Compresses `plain` with a command-line tool ("gzip" or "bgzip") into `out`.
void compress(const std::string& tool, const std::filesystem::path& plain, const std::filesystem::path& out) {
  const auto result = run_command(tool + " -c '" + plain.string() + "' > '" + out.string() + "'");
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
}

}  // namespace

TEST_CASE("FastaReader: reads multi-line records and keeps case", "[io]") {
  TempDir dir;
  write_file(dir / "in.fa", kFasta);
  check_two_records(read_all((dir / "in.fa").string()));
}

TEST_CASE("FastaReader: reads gzip and bgzip input", "[io]") {
  TempDir dir;
  write_file(dir / "in.fa", kFasta);
  const std::string tool = GENERATE("gzip", "bgzip");
  const auto out = dir / "in.fa.gz";
  compress(tool, dir / "in.fa", out);
  INFO(tool);
  check_two_records(read_all(out.string()));
}

TEST_CASE("FastaReader: reads standard input for '-'", "[io]") {
  TempDir dir;
  write_file(dir / "in.fa", kFasta);
  std::vector<SequenceRecord> records;
  {
    const genomamba::test::StdinFromFile redirect(dir / "in.fa");
    records = read_all("-");
  }
  check_two_records(records);
}

TEST_CASE("FastaReader: reads FASTQ", "[io]") {
  TempDir dir;
  write_file(dir / "in.fq", "@r1 comment\nACGTN\n+\nIIIII\n@r2\nacg\n+r2\n!!#\n");
  const auto records = read_all((dir / "in.fq").string());
  REQUIRE(records.size() == 2);
  CHECK(records[0].name == "r1");
  CHECK(records[0].sequence == "ACGTN");
  CHECK(records[1].name == "r2");
  CHECK(records[1].sequence == "acg");
}

TEST_CASE("FastaReader: a header without sequence is an empty record", "[io]") {
  TempDir dir;
  write_file(dir / "in.fa", ">empty\n>full\nACGT\n>last\n");
  const auto records = read_all((dir / "in.fa").string());
  REQUIRE(records.size() == 3);
  CHECK(records[0].name == "empty");
  CHECK(records[0].sequence.empty());
  CHECK(records[1].sequence == "ACGT");
  CHECK(records[2].name == "last");
  CHECK(records[2].sequence.empty());
}

TEST_CASE("FastaReader: an empty file has no records", "[io]") {
  TempDir dir;
  write_file(dir / "empty.fa", "");
  CHECK(read_all((dir / "empty.fa").string()).empty());
}

TEST_CASE("FastaReader: strips Windows line endings", "[io]") {
  TempDir dir;
  write_file(dir / "in.fa", ">a\r\nAC\r\nGT\r\n");
  const auto records = read_all((dir / "in.fa").string());
  REQUIRE(records.size() == 1);
  CHECK(records[0].name == "a");
  CHECK(records[0].sequence == "ACGT");
}

TEST_CASE("FastaReader: names a missing file", "[io]") {
  TempDir dir;
  const auto path = (dir / "absent.fa").string();
  REQUIRE_THROWS_AS(FastaReader(path), InputError);
  REQUIRE_THROWS_WITH(FastaReader(path), path + ": cannot open: No such file or directory");
}

TEST_CASE("FastaReader: names the record with a truncated quality string", "[io]") {
  TempDir dir;
  const std::string text = GENERATE(std::string("@r1\nACGT\n+\nIIII\n@r2\nACGT\n+\nII\n"),
                                    std::string("@r1\nACGT\n+\nIIII\n@r2\nACGT\n+"));
  const auto path = (dir / "in.fq").string();
  write_file(path, text);
  FastaReader reader(path);
  SequenceRecord record;
  REQUIRE(reader.next(record));
  REQUIRE_THROWS_AS(reader.next(record), InputError);
  FastaReader again(path);
  REQUIRE(again.next(record));
  REQUIRE_THROWS_WITH(again.next(record), Catch::StartsWith(path + ": record 2 ('r2'): quality string is truncated ("));
}

namespace {

// Reads every record of `text` (written to a file); returns the error message, or "" when all were read.
std::string error_reading(const std::string& text) {
  TempDir dir;
  const auto path = (dir / "in.txt").string();
  write_file(path, text);
  try {
    FastaReader reader(path);
    SequenceRecord record;
    while (reader.next(record)) {
    }
  } catch (const InputError& e) {
    const std::string message = e.what();
    return message.starts_with(path) ? message.substr(path.size()) : message;
  }
  return "";
}

}  // namespace

TEST_CASE("FastaReader: a malformed FASTQ record is refused, never read as bases", "[io]") {
  // kseq alone reads each of these as a FASTA record whose bases include the quality line.
  CHECK_THAT(error_reading("@r1\nACGT\n+\nIIII\n@r2\nACGT\n-\nIIII\n"),
             Contains(": record 2 ('r2'): FASTQ record without its '+' line"));
  CHECK_THAT(error_reading("@r1\nACGT\nIIII\n"), Contains(": record 1 ('r1'): FASTQ record without its '+' line"));
  CHECK_THAT(error_reading("@r1\nACGT\n+\nIIII\n@r2\nACGT\n"),
             Contains(": record 2 ('r2'): FASTQ record without its '+' line"));
  CHECK_THAT(error_reading("@r1\nACGT\n+\nIIIIII\n"),
             Contains(": record 1 ('r1'): quality string is longer than the sequence (6 quality characters for 4 bases)"));
  CHECK_THAT(error_reading(">r1\nACGT\n+\nIIII\n"), Contains(": record 1 ('r1'): a '+' line and quality string in a FASTA file"));
  CHECK(error_reading("@r1\nACGT\n+\nIIII\n@r2\nAC\n+r2\n@I\n") == "");  // a quality line may start with '@'
}

TEST_CASE("FastaReader: any record with a non-nucleotide character is refused the same way", "[io]") {
  for (const char* bad : {"X", "7", "*", "-", "E", "."}) {
    INFO(bad);
    const std::string sequence = std::string("ACGT") + bad + "ACGT";
    CHECK_THAT(error_reading(">r1\n" + sequence + "\n"),
               Contains(": record 1 ('r1'): '" + std::string(bad) + "'") && Contains("at base 5 is not a nucleotide code"));
    CHECK_THAT(error_reading(">r1\nACGT\n>r2\nAC\n" + sequence + "\n"),
               Contains(": record 2 ('r2'): '" + std::string(bad) + "'") && Contains("at base 7 is not a nucleotide code"));
  }
  CHECK_THAT(error_reading(">p1\nMKVLAAGIVGLLLAQ\n"), Contains("'L' at base 4 is not a nucleotide code"));  // a protein
  CHECK(error_reading(">iupac\nACGTUNRYSWKMBDHVacgtunryswkmbdhv\n") == "");
  CHECK_THAT(error_reading("just text\n>r1\nACGT\n"), Contains(": not FASTA or FASTQ: the data starts with 'j'"));
}

TEST_CASE("FastaReader: reports corrupt compressed input", "[io]") {
  TempDir dir;
  std::string fasta;
  for (int i = 0; i < 200; ++i) fasta += ">r" + std::to_string(i) + "\n" + std::string(500, "ACGT"[i % 4]) + "\n";
  write_file(dir / "in.fa", fasta);
  compress("gzip", dir / "in.fa", dir / "in.fa.gz");
  const std::string gz = read_file(dir / "in.fa.gz");
  const auto path = (dir / "cut.fa.gz").string();
  write_file(path, gz.substr(0, gz.size() / 2));
  REQUIRE_THROWS_AS(read_all(path), InputError);
  REQUIRE_THROWS_WITH(read_all(path), Contains(path + ": record ") && Contains("read error"));
}
