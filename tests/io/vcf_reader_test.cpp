#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "io/vcf_reader.h"
#include "support/stdio_redirect.h"
#include "support/temp_dir.h"
#include "hts_fixtures.h"

using Catch::Contains;
using Catch::EndsWith;
using Catch::Matches;
using Catch::StartsWith;
using genomamba::ConfigError;
using genomamba::InputError;
using namespace genomamba::io;
using namespace genomamba::test;

namespace {

const std::string kHeader =
    "##fileformat=VCFv4.2\n"
    "##FILTER=<ID=PASS,Description=\"All filters passed\">\n"
    "##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"Type of structural variant\">\n"
    "##INFO=<ID=END,Number=1,Type=Integer,Description=\"End position of the variant\">\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
    "##contig=<ID=chr1,length=1000>\n"
    "##contig=<ID=chr2,length=500>\n"
    "##contig=<ID=chr3>\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n";

// Records as htslib writes them back, so that each `line` must equal its input line.
const std::vector<std::string> kRecords = {
    "chr1\t10\trs1\tA\tC,G\t50\tPASS\t.\tGT\t1/2",         // multi-allelic
    "chr1\t20\t.\tA\t.\t.\t.\t.\tGT\t0/0",                 // ALT "."
    "chr1\t30\tsv1\tA\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=60\tGT\t0/1",  // symbolic, spans 30-60
    "chr1\t100\tbnd1\tG\tG]chr2:50]\t.\t.\tSVTYPE=BND\tGT\t0/1",     // breakend
    "chr1\t200\t.\tacGT\ta\t12.5\t.\t.\tGT\t./.",          // case kept
    "chr2\t5\t.\tT\tTA\t.\t.\t.\tGT\t0|1",
    "chr2\t400\t.\tC\tT\t.\t.\t.\tGT\t1|1",
};

std::string vcf_text(const std::vector<std::string>& records = kRecords) {
  std::string text = kHeader;
  for (const std::string& record : records) text += record + "\n";
  return text;
}

enum class Kind { VCF, VCF_GZ, VCF_GZ_TBI, VCF_GZ_CSI, BCF, BCF_CSI };

const char* name(Kind kind) {
  switch (kind) {
    case Kind::VCF: return "plain VCF";
    case Kind::VCF_GZ: return "bgzip VCF without index";
    case Kind::VCF_GZ_TBI: return "bgzip VCF with .tbi";
    case Kind::VCF_GZ_CSI: return "bgzip VCF with .csi";
    case Kind::BCF: return "BCF without index";
    case Kind::BCF_CSI: return "BCF with .csi";
  }
  return "?";
}

// Writes `text` as the kind of file asked for, indexed with tabix or bcftools where asked; returns its path.
std::string make_vcf(const TempDir& dir, Kind kind, const std::string& text = vcf_text()) {
  write_file(dir / "calls.vcf", text);
  const auto plain = dir / "calls.vcf";
  switch (kind) {
    case Kind::VCF:
      return plain.string();
    case Kind::VCF_GZ:
    case Kind::VCF_GZ_TBI:
    case Kind::VCF_GZ_CSI: {
      const auto gz = dir / "calls.vcf.gz";
      run_tool("bgzip", "-c " + sh(plain) + " > " + sh(gz));
      if (kind == Kind::VCF_GZ_TBI) run_tool("tabix", "-p vcf " + sh(gz));
      if (kind == Kind::VCF_GZ_CSI) run_tool("bcftools", "index --csi " + sh(gz));
      return gz.string();
    }
    case Kind::BCF:
    case Kind::BCF_CSI: {
      const auto bcf = dir / "calls.bcf";
      run_tool("bcftools", "view --no-version -Ob -o " + sh(bcf) + " " + sh(plain));
      if (kind == Kind::BCF_CSI) run_tool("bcftools", "index --csi " + sh(bcf));
      return bcf.string();
    }
  }
  return {};
}

std::vector<VcfRecord> read_all(VcfReader& reader) {
  std::vector<VcfRecord> records;
  VcfRecord record;
  while (reader.next(record)) records.push_back(record);
  return records;
}

std::vector<VcfRecord> read_all(const std::string& path, const std::vector<std::string>& regions = {}) {
  VcfReader reader(path, regions);
  return read_all(reader);
}

std::vector<std::string> loci(const std::vector<VcfRecord>& records) {
  std::vector<std::string> out;
  for (const VcfRecord& record : records) out.push_back(record.chrom + ":" + std::to_string(record.pos + 1));
  return out;
}

void check_all_records(const std::vector<VcfRecord>& records) {
  REQUIRE(records.size() == kRecords.size());
  for (size_t i = 0; i < records.size(); ++i) {
    INFO("record " << i + 1);
    CHECK(records[i].number == static_cast<int64_t>(i + 1));
    CHECK(records[i].line == kRecords[i]);
  }
  CHECK(records[0].chrom == "chr1");
  CHECK(records[0].pos == 9);
  CHECK(records[0].id == "rs1");
  CHECK(records[0].ref == "A");
  CHECK(records[0].alts == std::vector<std::string>{"C", "G"});
  CHECK(records[1].id == ".");
  CHECK(records[1].alts.empty());
  CHECK(records[2].alts == std::vector<std::string>{"<DEL>"});
  CHECK(records[3].alts == std::vector<std::string>{"G]chr2:50]"});
  CHECK(records[4].ref == "acGT");
  CHECK(records[4].alts == std::vector<std::string>{"a"});
  CHECK(records[5].chrom == "chr2");
  CHECK(records[5].pos == 4);
}

// A VCF of many records, so that a cut bgzip stream ends inside the data.
std::string big_vcf_text() {
  std::vector<std::string> records;
  const std::string bases = random_bases(8000, 17);
  for (int i = 0; i < 8000; ++i) {
    const char ref = bases[static_cast<size_t>(i)];
    records.push_back("chr1\t" + std::to_string(i + 1) + "\trs" + std::to_string(i) + "\t" + ref +
                      "\tN\t.\t.\t.\tGT\t0/1");
  }
  return vcf_text(records);
}

}  // namespace

TEST_CASE("VcfReader: reads every record of VCF, bgzipped VCF and BCF as written", "[io]") {
  TempDir dir;
  const Kind kind = GENERATE(Kind::VCF, Kind::VCF_GZ_TBI, Kind::BCF_CSI);
  INFO(name(kind));
  const std::string path = make_vcf(dir, kind);
  VcfReader reader(path, {});
  CHECK(reader.path() == path);
  CHECK(reader.header_text() == kHeader);
  const std::vector<VcfContig> contigs = reader.contigs();
  REQUIRE(contigs.size() == 3);
  CHECK(contigs[0].name == "chr1");
  CHECK(contigs[0].length == 1000);
  CHECK(contigs[1].name == "chr2");
  CHECK(contigs[1].length == 500);
  CHECK(contigs[2].name == "chr3");
  CHECK(contigs[2].length == -1);
  check_all_records(read_all(reader));
  VcfRecord record;
  CHECK_FALSE(reader.next(record));  // stays at the end
}

TEST_CASE("VcfReader: reads standard input ('-') from a file or a pipe", "[io]") {
  TempDir dir;
  const Kind kind = GENERATE(Kind::VCF, Kind::VCF_GZ, Kind::BCF);
  INFO(name(kind));
  const std::string path = make_vcf(dir, kind);
  SECTION("redirected file") {
    const StdinFromFile redirect(path);
    VcfReader reader("-", {});
    CHECK(reader.path() == "-");
    CHECK(reader.header_text() == kHeader);
    check_all_records(read_all(reader));
  }
  SECTION("pipe") {
    with_stdin_pipe(read_file(path), [] { check_all_records(read_all("-")); });
  }
  SECTION("pipe, with regions: streamed and filtered") {
    with_stdin_pipe(read_file(path),
                    [] { CHECK(loci(read_all("-", {"chr2:1-10"})) == std::vector<std::string>{"chr2:5"}); });
  }
  // Standard input is still open after the reader closed its duplicate.
  CHECK(::fcntl(STDIN_FILENO, F_GETFD) != -1);
}

TEST_CASE("VcfReader: regions with and without an index return each overlapping record once", "[io]") {
  TempDir dir;
  const Kind kind = GENERATE(Kind::VCF, Kind::VCF_GZ, Kind::VCF_GZ_TBI, Kind::VCF_GZ_CSI, Kind::BCF, Kind::BCF_CSI);
  INFO(name(kind));
  const std::string path = make_vcf(dir, kind);
  // The <DEL> at chr1:30 (END=60) overlaps both chr1 regions; chr3 is declared but has no records.
  const auto records = read_all(path, {"chr2:1-10", "chr1:50-55", "chr3", "chr1:95-100", "chr1:28-32"});
  CHECK(loci(records) == std::vector<std::string>{"chr1:30", "chr1:100", "chr2:5"});
  REQUIRE(records.size() == 3);
  CHECK(records[0].alts == std::vector<std::string>{"<DEL>"});
  CHECK(records[0].line == kRecords[2]);
  CHECK(loci(read_all(path, {"chr1"})) ==
        std::vector<std::string>{"chr1:10", "chr1:20", "chr1:30", "chr1:100", "chr1:200"});
  CHECK(loci(read_all(path, {"chr1:101-199", "chr2:401"})).empty());
  CHECK(loci(read_all(path, {"chr1:1-10", "chr1:5-20"})) == std::vector<std::string>{"chr1:10", "chr1:20"});
  // The 4-base deletion at chr1:200 reaches 203.
  CHECK(loci(read_all(path, {"chr1:203-210"})) == std::vector<std::string>{"chr1:200"});
}

TEST_CASE("VcfReader: a malformed region names -r; an unknown contig names the file and region", "[io]") {
  TempDir dir;
  const std::string path = make_vcf(dir, Kind::VCF_GZ_TBI);
  REQUIRE_THROWS_AS(VcfReader(path, {"chr1:10-5"}), genomamba::UsageError);
  REQUIRE_THROWS_WITH(VcfReader(path, {"chr1:10-5"}), "-r 'chr1:10-5': end before start");
  REQUIRE_THROWS_WITH(VcfReader(path, {"chr1:x-5"}), StartsWith("-r 'chr1:x-5': "));
  REQUIRE_THROWS_AS(VcfReader(path, {"chr1", "chrZ:1-10"}), InputError);
  REQUIRE_THROWS_WITH(VcfReader(path, {"chr1", "chrZ:1-10"}),
                      path + ": unknown contig 'chrZ' in region 'chrZ:1-10' (-r 'chrZ:1-10')");
}

TEST_CASE("VcfReader: a record on a contig missing from the header names the record", "[io]") {
  TempDir dir;
  const Kind kind = GENERATE(Kind::VCF, Kind::VCF_GZ);
  const std::string path = make_vcf(dir, kind, vcf_text({kRecords[0], "chrZ\t5\t.\tA\tC\t.\t.\t.\tGT\t0/1"}));
  VcfReader reader(path, {});
  VcfRecord record;
  REQUIRE(reader.next(record));
  REQUIRE_THROWS_AS(reader.next(record), InputError);
  VcfReader again(path, {});
  REQUIRE(again.next(record));
  REQUIRE_THROWS_WITH(again.next(record),
                      path + ": record 2 (chrZ:5): contig 'chrZ' is not declared in the header (no ##contig line)");
}

TEST_CASE("VcfReader: malformed text records name the record", "[io]") {
  TempDir dir;
  std::string bad;
  std::string message;
  SECTION("POS not a number") {
    bad = "chr1\tabc\t.\tA\tC\t.\t.\t.\tGT\t0/1";
    message = "record 2 (chr1:abc): POS 'abc' is not a number";
  }
  SECTION("spaces instead of tabs") {
    bad = "chr1 30 . A C . . . GT 0/1";
    message = "record 2: has 1 column(s) where VCF needs at least 8, separated by tabs; got '" + bad + "'";
  }
  SECTION("empty line") {
    bad = "";
    message = "record 2: empty line";
  }
  const std::string path = make_vcf(dir, Kind::VCF, vcf_text({kRecords[0], bad, kRecords[1]}));
  VcfReader reader(path, {});
  VcfRecord record;
  REQUIRE(reader.next(record));
  REQUIRE_THROWS_AS(reader.next(record), InputError);
  VcfReader again(path, {});
  REQUIRE(again.next(record));
  REQUIRE_THROWS_WITH(again.next(record), path + ": " + message);
}

TEST_CASE("VcfReader: undeclared INFO tags are tolerated, as htslib does", "[io]") {
  TempDir dir;
  const std::string path = make_vcf(dir, Kind::VCF, vcf_text({"chr1\t10\t.\tA\tC\t.\t.\tFOO=bar\tGT\t0/1"}));
  const auto records = read_all(path);
  REQUIRE(records.size() == 1);
  CHECK(records[0].line == "chr1\t10\t.\tA\tC\t.\t.\tFOO=bar\tGT\t0/1");
}

TEST_CASE("VcfReader: a truncated bgzip VCF or BCF is an error, from a file or a pipe", "[io]") {
  TempDir dir;
  write_file(dir / "big.vcf", big_vcf_text());
  const bool bcf = GENERATE(false, true);
  INFO((bcf ? "BCF" : "bgzip VCF"));
  const auto full = dir / (bcf ? "big.bcf" : "big.vcf.gz");
  if (bcf) {
    run_tool("bcftools", "view --no-version -Ob -o " + sh(full) + " " + sh(dir / "big.vcf"));
  } else {
    run_tool("bgzip", "-c " + sh(dir / "big.vcf") + " > " + sh(full));
  }
  const std::string data = read_file(full);
  REQUIRE(data.size() > 20000);
  const std::string cut = data.substr(0, data.size() * 2 / 3);
  const auto path = dir / (bcf ? "cut.bcf" : "cut.vcf.gz");
  write_file(path, cut);
  SECTION("file: the missing end-of-file marker is found at open") {
    REQUIRE_THROWS_AS(VcfReader(path.string(), {}), InputError);
    REQUIRE_THROWS_WITH(VcfReader(path.string(), {}),
                        path.string() + ": truncated file: the BGZF end-of-file marker is missing");
  }
  SECTION("pipe: found where the data ends") {
    int64_t read = 0;
    const auto body = [&read] {
      VcfReader reader("-", {});
      VcfRecord record;
      while (reader.next(record)) ++read;
    };
    REQUIRE_THROWS_AS(with_stdin_pipe(cut, body), InputError);
    CHECK(read > 100);
    CHECK(read < 8000);
    REQUIRE_THROWS_WITH(with_stdin_pipe(cut, body), Matches("-: record [0-9]+ \\(after chr1:[0-9]+\\): .*") &&
                                                        (Contains("truncated") || Contains("corrupt")));
  }
}

TEST_CASE("VcfReader: a missing, empty or non-VCF file, or a malformed header", "[io]") {
  TempDir dir;
  const std::string missing = (dir / "nope.vcf").string();
  REQUIRE_THROWS_AS(VcfReader(missing, {}), InputError);
  REQUIRE_THROWS_WITH(VcfReader(missing, {}), missing + ": cannot open: No such file or directory");

  write_file(dir / "empty.vcf", "");
  REQUIRE_THROWS_WITH(VcfReader((dir / "empty.vcf").string(), {}),
                      (dir / "empty.vcf").string() + ": empty input; expected VCF or BCF");

  write_file(dir / "ref.fa", ">chr1\nACGT\n");
  const std::string fasta = (dir / "ref.fa").string();
  REQUIRE_THROWS_AS(VcfReader(fasta, {}), InputError);
  REQUIRE_THROWS_WITH(VcfReader(fasta, {}), StartsWith(fasta + ": not a VCF or BCF file (") && Contains("FASTA"));

  write_file(dir / "notes.txt", "hello\tworld\n");
  const std::string notes = (dir / "notes.txt").string();
  REQUIRE_THROWS_WITH(VcfReader(notes, {}), StartsWith(notes + ": not a VCF or BCF file ("));

  write_file(dir / "nochrom.vcf", "##fileformat=VCFv4.2\n##contig=<ID=chr1>\nchr1\t1\t.\tA\tC\t.\t.\t.\n");
  const std::string nochrom = (dir / "nochrom.vcf").string();
  REQUIRE_THROWS_AS(VcfReader(nochrom, {}), InputError);
  REQUIRE_THROWS_WITH(VcfReader(nochrom, {}), nochrom + ": cannot read the VCF/BCF header (malformed or truncated)");
}

TEST_CASE("VcfReader: an index older than its file is stale", "[io]") {
  TempDir dir;
  const Kind kind = GENERATE(Kind::VCF_GZ_TBI, Kind::BCF_CSI);
  const std::string path = make_vcf(dir, kind);
  const std::string index = path + (kind == Kind::VCF_GZ_TBI ? ".tbi" : ".csi");
  REQUIRE(std::filesystem::exists(index));
  std::filesystem::last_write_time(path, std::filesystem::last_write_time(index) + std::chrono::seconds(10));
  CHECK(read_all(path).size() == kRecords.size());  // without regions the index is not needed
  REQUIRE_THROWS_AS(VcfReader(path, {"chr1"}), InputError);
  REQUIRE_THROWS_WITH(VcfReader(path, {"chr1"}),
                      StartsWith(path + ": index '" + index + "' is older than the file (stale); rebuild it with '"));
}

TEST_CASE("VcfReader: with an index only the regions are read; without one the whole input is", "[io]") {
  TempDir dir;
  // The last record's contig is not declared: reading it is an error, which only the streamed file meets.
  std::vector<std::string> records = kRecords;
  records.push_back("chrZ\t5\t.\tA\tC\t.\t.\t.\tGT\t0/1");
  const bool indexed = GENERATE(false, true);
  const std::string path = make_vcf(dir, indexed ? Kind::VCF_GZ_TBI : Kind::VCF_GZ, vcf_text(records));
  if (indexed) {
    CHECK(loci(read_all(path, {"chr1:28-32"})) == std::vector<std::string>{"chr1:30"});
  } else {
    REQUIRE_THROWS_WITH(read_all(path, {"chr1:28-32"}),
                        path + ": record 8 (chrZ:5): contig 'chrZ' is not declared in the header (no ##contig line)");
  }
}

TEST_CASE("VcfReader: a header without ##contig lines takes the reference's contigs", "[io]") {
  // Older callers write no ##contig lines (htslib's own test-vcf-hdr-in.vcf is one); bcftools reads them.
  TempDir dir;
  const auto path = (dir / "old.vcf").string();
  write_file(path, "##fileformat=VCFv4.1\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                   "chr2\t5\t.\tA\tC\t.\t.\t.\nchr1\t7\t.\tG\tT\t.\t.\t.\n");
  VcfReader reader(path, {}, {{"chr1", 100}, {"chr2", 50}});
  const auto records = read_all(reader);
  REQUIRE(records.size() == 2);
  CHECK(records[0].chrom == "chr2");
  CHECK(records[1].chrom == "chr1");
  CHECK_THAT(reader.header_text(), Contains("##contig=<ID=chr1,length=100>") && Contains("##contig=<ID=chr2,length=50>"));
  REQUIRE(reader.contigs().size() == 2);
  CHECK(reader.contigs()[1].length == 50);
  // Regions work on such a file too.
  VcfReader by_region(path, {"chr1"}, {{"chr1", 100}, {"chr2", 50}});
  CHECK(read_all(by_region).size() == 1);
}

TEST_CASE("VcfReader: an empty REF or ALT column, POS 0 and a negative POS are malformed records", "[io]") {
  TempDir dir;
  const std::string head = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=100>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  const auto [line, message] = GENERATE(table<std::string, std::string>({
      {"chr1\t50\t.\tA\t\t.\t.\t.", "record 1 (chr1:50): empty ALT column"},
      {"chr1\t50\t.\t\tA\t.\t.\t.", "record 1 (chr1:50): empty REF column"},
      {"chr1\t0\t.\tA\tC\t.\t.\t.", "record 1 (chr1:0): POS 0 is before the contig (VCF POS is 1-based)"},
      {"chr1\t-5\t.\tA\tC\t.\t.\t.", "record 1 (chr1:-5): POS -5 is negative (VCF POS is 1-based)"},
  }));
  CAPTURE(line);
  const auto path = (dir / "bad.vcf").string();
  write_file(path, head + line + "\n");
  VcfReader reader(path, {});
  VcfRecord record;
  REQUIRE_THROWS_AS(reader.next(record), InputError);
  VcfReader again(path, {});
  REQUIRE_THROWS_WITH(again.next(record), StartsWith(path + ": " + message));
}
