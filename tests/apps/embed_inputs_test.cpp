// End-to-end runs of `genomamba embed` on every input kind (bgzip FASTA with regions and BED, FASTQ, BAM with
// flags and MAPQ, CRAM with -f, standard input), each checked against a plain FASTA holding the bases the
// input should yield; and every bad input: exit 1, one message naming the file (and line or record), and
// no OUT, OUT.partial or OUT.partial.d left behind.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "io/hts_fixtures.h"
#include "output/h5_read_back.h"
#include "support/data_path.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::test::CommandResult;
using genomamba::test::H5File;
using genomamba::test::TempDir;
using genomamba::test::write_file;
namespace fs = std::filesystem;
namespace test = genomamba::test;

namespace {

const std::string kModel = test::data_path("models/ph_tiny").string();

std::string binary() { return "'" + test::genomamba_binary().string() + "'"; }

using genomamba::test::run_genomamba;

struct Genome {
  std::string chr1 = test::random_bases(3000, 11);
  std::string chr2 = test::random_bases(200, 12);
  std::string fasta() const { return test::fasta_record("chr1", chr1) + test::fasta_record("chr2", chr2, 50); }
};

// Embeds `records` (name, bases) as a plain FASTA with one window per record and returns the pooled rows.
std::vector<float> reference_pooled(const TempDir& dir, const std::vector<std::pair<std::string, std::string>>& records) {
  std::string fasta;
  for (size_t i = 0; i < records.size(); ++i) fasta += test::fasta_record("ref" + std::to_string(i), records[i].second);
  write_file(dir / "reference.fa", fasta);
  const auto r = run_genomamba("embed -m " + kModel + " -q -i " + (dir / "reference.fa").string() + " -o " +
                               (dir / "reference.h5").string());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return H5File(dir / "reference.h5").floats("/windows/embedding");
}

void check_close(const std::vector<float>& got, const std::vector<float>& expected) {
  REQUIRE(got.size() == expected.size());
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(expected[i]).epsilon(1e-6).margin(1e-7));
}

// Reads of a tiny BAM: a proper pair sharing one name, a secondary, a supplementary, a low-MAPQ read and an
// unmapped read. Expected sequences are in the reads' original orientation.
struct Reads {
  Genome genome;
  std::string unmapped = test::random_bases(25, 13);
  std::string sam() const {
    auto line = [](const std::string& name, int flag, const std::string& contig, int pos, int mapq,
                   const std::string& seq) {
      return name + "\t" + std::to_string(flag) + "\t" + contig + "\t" + std::to_string(pos) + "\t" +
             std::to_string(mapq) + "\t" + (contig == "*" ? "*" : std::to_string(seq.size()) + "M") + "\t*\t0\t0\t" +
             seq + "\t*\n";
    };
    std::string text = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chr1\tLN:3000\n@SQ\tSN:chr2\tLN:200\n";
    text += line("pair", 99, "chr1", 11, 60, genome.chr1.substr(10, 30));
    text += line("secondary", 256, "chr1", 21, 60, genome.chr1.substr(20, 30));
    text += line("pair", 147, "chr1", 61, 60, genome.chr1.substr(60, 30));  // stored reverse-complemented
    text += line("supplementary", 2048, "chr1", 71, 60, genome.chr1.substr(70, 30));
    text += line("lowq", 0, "chr1", 101, 5, genome.chr1.substr(100, 20));
    text += line("unmapped", 4, "*", 0, 0, unmapped);
    return text;
  }
  std::vector<std::pair<std::string, std::string>> expected(bool with_lowq, bool with_unmapped) const {
    std::vector<std::pair<std::string, std::string>> out = {{"pair", genome.chr1.substr(10, 30)},
                                                            {"pair", test::reverse_complement(genome.chr1.substr(60, 30))}};
    if (with_lowq) out.emplace_back("lowq", genome.chr1.substr(100, 20));
    if (with_unmapped) out.emplace_back("unmapped", unmapped);
    return out;
  }
};

std::vector<std::string> names_of(const std::vector<std::pair<std::string, std::string>>& records) {
  std::vector<std::string> names;
  for (const auto& record : records) names.push_back(record.first);
  return names;
}

}  // namespace

TEST_CASE("genomamba embed: bgzip FASTA regions (-r, -R BED) in contig coordinates", "[apps]") {
  TempDir dir;
  const Genome genome;
  write_file(dir / "ref.fa", genome.fasta());
  test::run_tool("bgzip", "-c " + test::sh(dir / "ref.fa") + " > " + test::sh(dir / "ref.fa.gz"));
  test::run_tool("samtools", "faidx " + test::sh(dir / "ref.fa.gz"));
  write_file(dir / "r.bed", "# regions\nchr2\t10\t50\tname\n");
  const auto out = dir / "out.h5";
  const auto r = run_genomamba("embed -m " + kModel + " -q -i " + (dir / "ref.fa.gz").string() +
                               " -r chr1:1001-2000 -R " + (dir / "r.bed").string() + " -o " + out.string() +
                               " --window 400");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  H5File f(out);
  CHECK(f.strings("/windows/name") == std::vector<std::string>{"chr1", "chr1", "chr1", "chr2"});
  CHECK(f.ints("/windows/start") == std::vector<int64_t>{1000, 1400, 1600, 10});
  CHECK(f.ints("/windows/end") == std::vector<int64_t>{1400, 1800, 2000, 50});
  check_close(f.floats("/windows/embedding"),
              reference_pooled(dir, {{"", genome.chr1.substr(1000, 400)}, {"", genome.chr1.substr(1400, 400)},
                                     {"", genome.chr1.substr(1600, 400)}, {"", genome.chr2.substr(10, 40)}}));
}

TEST_CASE("genomamba embed: gzip FASTQ input", "[apps]") {
  TempDir dir;
  const std::string q1 = test::random_bases(12, 21), q2 = test::random_bases(5, 22);
  write_file(dir / "reads.fq", "@q1 first\n" + q1 + "\n+\n" + std::string(12, 'I') + "\n@q2\n" + q2 + "\n+\n" +
                                   std::string(5, 'I') + "\n");
  test::run_tool("gzip", test::sh(dir / "reads.fq"));
  const auto out = dir / "out.h5";
  const auto r = run_genomamba("embed -m " + kModel + " -q -i " + (dir / "reads.fq.gz").string() + " -o " +
                               out.string() + " --window 8");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  H5File f(out);
  CHECK(f.strings("/windows/name") == std::vector<std::string>{"q1", "q1", "q2"});
  CHECK(f.ints("/windows/start") == std::vector<int64_t>{0, 4, 0});
  check_close(f.floats("/windows/embedding"), reference_pooled(dir, {{"", q1.substr(0, 8)}, {"", q1.substr(4)}, {"", q2}}));
}

TEST_CASE("genomamba embed: an interleaved paired-end FASTQ (mates share a name) is keyed by record number",
          "[apps]") {
  // Laid out like htslib's fastq/interleaved_casava.fq: read 1 and read 2 of each pair under one name.
  TempDir dir;
  const std::string a1 = test::random_bases(12, 31), a2 = test::random_bases(9, 32), b1 = test::random_bases(6, 33),
                    b2 = test::random_bases(7, 34);
  std::string text;
  for (const auto& [seq, tag] : std::vector<std::pair<std::string, std::string>>{
           {a1, "p1 1:N:0:ATCACG"}, {a2, "p1 2:N:0:ATCACG"}, {b1, "p2 1:N:0:ATCACG"}, {b2, "p2 2:N:0:ATCACG"}}) {
    text += "@" + tag + "\n" + seq + "\n+\n" + std::string(seq.size(), 'I') + "\n";
  }
  write_file(dir / "pairs.fq", text);
  const auto out = dir / "out.h5";
  const auto r = run_genomamba("embed -m " + kModel + " -q -i " + (dir / "pairs.fq").string() + " -o " +
                               out.string() + " --window 8");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  H5File f(out);
  CHECK(f.strings("/windows/name") == std::vector<std::string>{"p1", "p1", "p1", "p1", "p2", "p2"});
  CHECK(f.ints("/windows/record") == std::vector<int64_t>{0, 0, 1, 1, 2, 3});
  CHECK(f.ints("/windows/start") == std::vector<int64_t>{0, 4, 0, 1, 0, 0});
  check_close(f.floats("/windows/embedding"),
              reference_pooled(dir, {{"", a1.substr(0, 8)}, {"", a1.substr(4)}, {"", a2.substr(0, 8)},
                                     {"", a2.substr(1)}, {"", b1}, {"", b2}}));
}

TEST_CASE("genomamba embed: BAM reads, exclude flags and minimum MAPQ; mates may share a name", "[apps]") {
  TempDir dir;
  const Reads reads;
  write_file(dir / "reads.sam", reads.sam());
  test::run_tool("samtools", "sort -o " + test::sh(dir / "reads.bam") + " " + test::sh(dir / "reads.sam"));
  const auto out = dir / "out.h5";
  const std::string base = "embed -m " + kModel + " -q -i " + (dir / "reads.bam").string() + " -o " + out.string();
  const auto [flags, with_lowq, with_unmapped] = GENERATE(table<std::string, bool, bool>(
      {{"", true, true}, {" -F 0x904 --min-mapq 30", false, false}, {" -F UNMAP,SECONDARY,SUPPLEMENTARY", true, false},
       {" -F 2308", true, false}}));
  CAPTURE(flags);
  const auto r = run_genomamba(base + flags);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  H5File f(out);
  const auto expected = reads.expected(with_lowq, with_unmapped);
  CHECK(f.strings("/windows/name") == names_of(expected));
  check_close(f.floats("/windows/embedding"), reference_pooled(dir, expected));
}

TEST_CASE("genomamba embed: CRAM with its reference given by -f", "[apps]") {
  TempDir dir;
  const Reads reads;
  write_file(dir / "ref.fa", reads.genome.fasta());
  write_file(dir / "reads.sam", reads.sam());
  test::run_tool("samtools", "sort -o " + test::sh(dir / "reads.bam") + " " + test::sh(dir / "reads.sam"));
  test::run_tool("samtools", "view -C --reference " + test::sh(dir / "ref.fa") + " -o " + test::sh(dir / "reads.cram") +
                                 " " + test::sh(dir / "reads.bam"));
  const auto out = dir / "out.h5";
  const auto r = run_genomamba("embed -m " + kModel + " -q -i " + (dir / "reads.cram").string() + " -f " +
                               (dir / "ref.fa").string() + " -o " + out.string());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  H5File f(out);
  const auto expected = reads.expected(true, true);
  CHECK(f.strings("/windows/name") == names_of(expected));
  check_close(f.floats("/windows/embedding"), reference_pooled(dir, expected));
  CHECK(f.string_attribute("reference_path") == (dir / "ref.fa").string());
}

TEST_CASE("genomamba embed: standard input, FASTA and BAM", "[apps]") {
  TempDir dir;
  const Reads reads;
  const auto out = dir / "out.h5";
  const std::string embed = binary() + " embed -m " + kModel + " -q -i - -o " + out.string();
  SECTION("FASTA") {
    write_file(dir / "in.fa", test::fasta_record("s1", reads.unmapped));
    const auto r = test::run_command("cat " + test::sh(dir / "in.fa") + " | " + embed + " --window 16");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    H5File f(out);
    CHECK(f.ints("/windows/start") == std::vector<int64_t>{0, 9});
    CHECK(f.string_array_attribute("input_paths") == std::vector<std::string>{"-"});
  }
  SECTION("BAM from samtools view -b") {
    write_file(dir / "reads.sam", reads.sam());
    test::require_tool("samtools");
    const auto r = test::run_command("samtools view -b " + test::sh(dir / "reads.sam") + " | " + embed + " -F 0x904");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(H5File(out).strings("/windows/name") == std::vector<std::string>{"pair", "pair", "lowq"});
  }
}

TEST_CASE("genomamba embed: bad inputs exit 1 naming the file and leave no output or batch folder", "[apps]") {
  TempDir dir;
  const Genome genome;
  write_file(dir / "ref.fa", genome.fasta());
  test::run_tool("bgzip", "-c " + test::sh(dir / "ref.fa") + " > " + test::sh(dir / "ref.fa.gz"));
  test::run_tool("samtools", "faidx " + test::sh(dir / "ref.fa.gz"));
  // Truncated bgzip: the 28-byte BGZF end-of-file block cut off.
  fs::copy_file(dir / "ref.fa.gz", dir / "cut.fa.gz");
  fs::resize_file(dir / "cut.fa.gz", fs::file_size(dir / "cut.fa.gz") - 28);
  // A stale .fai: the FASTA changed after indexing.
  write_file(dir / "stale.fa", genome.fasta());
  test::run_tool("samtools", "faidx " + test::sh(dir / "stale.fa"));
  fs::last_write_time(dir / "stale.fa", fs::last_write_time(dir / "stale.fa.fai") + std::chrono::seconds(10));
  write_file(dir / "bad.bed", "chr1\t0\t10\nchr1\t20\t5\n");
  write_file(dir / "empty.fa", "");
  write_file(dir / "junk.fa", ">a\nACGTACGTAC\n>b\nACGT\n>c\nAC\n>d\nGGXG\n");
  const Reads reads;
  write_file(dir / "reads.sam", reads.sam());
  test::run_tool("samtools", "view -b -o " + test::sh(dir / "reads.bam") + " " + test::sh(dir / "reads.sam"));

  const std::string fa = (dir / "ref.fa").string(), gz = (dir / "ref.fa.gz").string();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"-i " + (dir / "cut.fa.gz").string(), (dir / "cut.fa.gz").string() + ": truncated file"},
      {"-i " + (dir / "stale.fa").string() + " -r chr1:1-10", (dir / "stale.fa").string() + ": FASTA index"},
      {"-i " + fa + " -r chr1:1-10", fa + ": regions need a FASTA index"},
      {"-i " + gz + " -r chr1:2901-3001", gz + ": region 'chr1:2901-3001' ends beyond contig 'chr1' (length 3000)"},
      {"-i " + gz + " -r chrZ:1-10", gz + ": unknown contig 'chrZ'"},
      {"-i " + gz + " -R " + (dir / "bad.bed").string(), (dir / "bad.bed").string() + ":2: "},
      {"-i " + (dir / "empty.fa").string(), (dir / "empty.fa").string() + ": empty input"},
      {"-i " + (dir / "reads.bam").string() + " --min-mapq 255", (dir / "reads.bam").string() + ": no sequence records"},
      {"-i " + (dir / "junk.fa").string() + " --window 4 --batch 1",
       (dir / "junk.fa").string() + ": record 4 ('d'): 'X' at base 3 is not a nucleotide code"},
      {"-i " + gz + " -r chr2:1-20 -r chr1:5-8 -r chr2:1-20",
       gz + ": record 3: duplicate region 'chr2:1-20' (first at record 1)"},
      {"-i " + fa + " -o " + (dir / "no_dir" / "out.h5").string(), (dir / "no_dir" / "out.h5").string()},
  };
  const auto index = GENERATE(range<size_t>(0, 11));
  REQUIRE(cases.size() == 11);
  const auto& [args, message] = cases[index];
  CAPTURE(args);
  const auto out = dir / "out.h5";
  const std::string output = args.find(" -o ") == std::string::npos ? " -o " + out.string() : "";
  const auto r = run_genomamba("embed -m " + kModel + " " + args + output);
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  std::smatch m;
  REQUIRE(std::regex_search(r.err, m, std::regex("(^|\\n)(genomamba embed: error: [^\\n]*)\\n$")));
  CHECK_THAT(m[2].str(), Contains(message));
  for (const char* suffix : {"", ".partial", ".partial.d", ".partial.d.tmp", ".lock"}) {
    CHECK_FALSE(fs::exists(out.string() + suffix));
    CHECK_FALSE(fs::exists((dir / "no_dir").string() + suffix));
  }
}
