#include <catch2/catch.hpp>

#include <cstdlib>
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

// A reference and reads covering every filter case, written as SAM and converted with samtools.
struct Alignments {
  std::string chr1 = random_bases(200, 3);
  std::string chr2 = random_bases(100, 5);

  std::string sam() const {
    auto line = [](const std::string& name, int flag, const std::string& contig, int pos, int mapq,
                   const std::string& seq) {
      const std::string cigar = std::to_string(seq == "*" ? 10 : seq.size()) + "M";
      return name + "\t" + std::to_string(flag) + "\t" + contig + "\t" + std::to_string(pos) + "\t" +
             std::to_string(mapq) + "\t" + (contig == "*" ? "*" : cigar) + "\t*\t0\t0\t" + seq + "\t*\n";
    };
    std::string text = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chr1\tLN:200\n@SQ\tSN:chr2\tLN:100\n";
    text += line("fwd", 0, "chr1", 11, 60, chr1.substr(10, 12));
    text += line("rev", 16, "chr1", 31, 60, chr1.substr(30, 15));          // stored reverse-complemented
    text += line("secondary", 256, "chr1", 51, 60, chr1.substr(50, 10));
    text += line("supplementary", 2048, "chr1", 61, 60, chr1.substr(60, 10));
    text += line("late", 0, "chr1", 151, 60, chr1.substr(150, 20));
    text += line("lowq", 0, "chr2", 11, 5, chr2.substr(10, 10));
    text += line("noseq", 0, "chr2", 41, 60, "*");
    text += line("unmapped", 4, "*", 0, 0, "ACGTNACGTN");
    return text;
  }
};

struct Fixture {
  TempDir dir;
  Alignments reads;
  std::filesystem::path ref = dir / "ref.fa";
  std::filesystem::path sam = dir / "reads.sam";
  std::filesystem::path bam = dir / "reads.bam";

  Fixture() {
    write_file(ref, fasta_record("chr1", reads.chr1) + fasta_record("chr2", reads.chr2));
    write_file(sam, reads.sam());
    run_tool("samtools", "sort -o " + sh(bam) + " " + sh(sam));
  }
  void index(const std::filesystem::path& path) const { run_tool("samtools", "index " + sh(path)); }
  std::filesystem::path cram() const {
    const auto path = dir / "reads.cram";
    run_tool("samtools", "view -C --reference " + sh(ref) + " -o " + sh(path) + " " + sh(bam));
    return path;
  }
};

InputSpec spec_for(const std::filesystem::path& path, const std::vector<std::string>& regions = {}) {
  InputSpec spec;
  spec.path = path.string();
  for (const auto& text : regions) spec.regions.push_back(parse_region(text));
  return spec;
}

std::vector<std::string> names(const std::vector<SequenceRecord>& records) {
  std::vector<std::string> out;
  for (const auto& record : records) out.push_back(record.name);
  return out;
}

void check_default_reads(const std::vector<SequenceRecord>& records, const Alignments& reads) {
  REQUIRE(names(records) == std::vector<std::string>{"fwd", "rev", "late", "lowq", "unmapped"});
  CHECK(records[0].sequence == reads.chr1.substr(10, 12));
  CHECK(records[1].sequence == reverse_complement(reads.chr1.substr(30, 15)));  // original orientation
  CHECK(records[4].sequence == "ACGTNACGTN");
  CHECK(records[4].index == 4);
  CHECK(records[1].offset == 0);
}

}  // namespace

TEST_CASE("open_sequence_source: BAM reads in original orientation, without secondary and supplementary", "[io]") {
  Fixture f;
  auto source = open_sequence_source(spec_for(f.bam));
  CHECK(source->contig_lengths() == ContigLengths{{"chr1", 200}, {"chr2", 100}});
  std::vector<SequenceRecord> records;
  SequenceRecord record;
  while (source->next(record)) records.push_back(record);
  check_default_reads(records, f.reads);
  CHECK_FALSE(source->next(record));  // stays at the end
}

TEST_CASE("open_sequence_source: BAM from a pipe", "[io]") {
  Fixture f;
  check_default_reads(read_all_from_pipe(read_file(f.bam), InputSpec{}), f.reads);
}

TEST_CASE("open_sequence_source: BAM exclude flags and minimum mapping quality", "[io]") {
  Fixture f;
  InputSpec spec = spec_for(f.bam);
  spec.exclude_flags = 0;
  CHECK(names(read_all(spec)) ==
        std::vector<std::string>{"fwd", "rev", "secondary", "supplementary", "late", "lowq", "unmapped"});
  spec.exclude_flags = 0x900 | 0x10 | 0x4;
  CHECK(names(read_all(spec)) == std::vector<std::string>{"fwd", "late", "lowq"});
  spec.exclude_flags = 0x900;
  spec.min_mapq = 10;
  CHECK(names(read_all(spec)) == std::vector<std::string>{"fwd", "rev", "late"});
  // The boundary, as samtools view -q: a read whose MAPQ equals --min-mapq is kept, one below is not.
  spec.min_mapq = 5;
  CHECK(names(read_all(spec)) == std::vector<std::string>{"fwd", "rev", "late", "lowq"});
  spec.min_mapq = 6;
  CHECK(names(read_all(spec)) == std::vector<std::string>{"fwd", "rev", "late"});
}

TEST_CASE("open_sequence_source: SAM input", "[io]") {
  Fixture f;
  check_default_reads(read_all(spec_for(f.sam)), f.reads);
}

TEST_CASE("open_sequence_source: BAM regions use the index and return each read once", "[io]") {
  Fixture f;
  f.index(f.bam);
  CHECK(names(read_all(spec_for(f.bam, {"chr1:1-100"}))) == std::vector<std::string>{"fwd", "rev"});
  // Overlapping regions, given out of order: each read once, in file order.
  CHECK(names(read_all(spec_for(f.bam, {"chr2", "chr1:35-40", "chr1:30-36"}))) ==
        std::vector<std::string>{"rev", "lowq"});
  CHECK(names(read_all(spec_for(f.bam, {"chr1:160"}))) == std::vector<std::string>{"late"});
}

TEST_CASE("open_sequence_source: BAM regions without an index name the samtools command", "[io]") {
  Fixture f;
  const auto path = f.bam.string();
  REQUIRE_THROWS_AS(open_sequence_source(spec_for(f.bam, {"chr1:1-100"})), InputError);
  REQUIRE_THROWS_WITH(open_sequence_source(spec_for(f.bam, {"chr1:1-100"})),
                      path + ": regions need an index: run 'samtools index " + path + "'");
}

TEST_CASE("open_sequence_source: BAM regions on an unknown contig or beyond a contig", "[io]") {
  Fixture f;
  f.index(f.bam);
  const auto path = f.bam.string();
  REQUIRE_THROWS_WITH(open_sequence_source(spec_for(f.bam, {"chrZ:1-10"})),
                      path + ": unknown contig 'chrZ' in region 'chrZ:1-10' (-r 'chrZ:1-10')");
  REQUIRE_THROWS_WITH(open_sequence_source(spec_for(f.bam, {"chr2:1-101"})),
                      Contains("region 'chr2:1-101' ends beyond contig 'chr2' (length 100)"));
}

TEST_CASE("open_sequence_source: CRAM with the reference given by -f", "[io]") {
  Fixture f;
  const auto cram = f.cram();
  InputSpec spec = spec_for(cram);
  spec.reference = f.ref.string();
  check_default_reads(read_all(spec), f.reads);
  f.index(cram);
  spec.regions = {parse_region("chr1:25-35")};
  CHECK(names(read_all(spec)) == std::vector<std::string>{"rev"});
}

TEST_CASE("open_sequence_source: CRAM whose reference cannot be found asks for -f", "[io]") {
  Fixture f;
  const auto cram = f.cram();
  // The CRAM header names the reference by path (UR) and htslib also searches REF_PATH: take both away.
  std::filesystem::rename(f.ref, f.dir / "moved.fa");
  std::filesystem::remove(f.ref.string() + ".fai");
  ::setenv("REF_PATH", (f.dir / "no-such-cache/%s").c_str(), 1);
  ::unsetenv("REF_CACHE");
  const auto read_everything = [&] { return read_all(spec_for(cram)); };
  REQUIRE_THROWS_AS(read_everything(), InputError);
  REQUIRE_THROWS_WITH(read_everything(), StartsWith(cram.string() + ": record 1: read error") &&
                                             Contains("give it with -f REF.fa"));
  InputSpec spec = spec_for(cram);
  spec.reference = (f.dir / "absent.fa").string();
  REQUIRE_THROWS_WITH(open_sequence_source(spec), Contains("absent.fa: cannot open the reference FASTA (-f)"));
  spec.reference = (f.dir / "moved.fa").string();
  check_default_reads(read_all(spec), f.reads);
}

TEST_CASE("open_sequence_source: truncated BAM is an input error", "[io]") {
  Fixture f;
  const std::string bam = read_file(f.bam);
  const auto path = (f.dir / "cut.bam").string();
  SECTION("end-of-file marker missing") {
    write_file(path, bam.substr(0, bam.size() - 28));
    REQUIRE_THROWS_WITH(open_sequence_source(spec_for(path)),
                        path + ": truncated file: the BGZF end-of-file marker is missing");
  }
  SECTION("cut inside a block") {
    write_file(path, bam.substr(0, bam.size() - 60));
    REQUIRE_THROWS_AS(read_all(spec_for(path)), InputError);
    REQUIRE_THROWS_WITH(read_all(spec_for(path)), StartsWith(path + ": "));
  }
}

TEST_CASE("open_sequence_source: a BAM read error names the record and the last good read", "[io]") {
  Fixture f;
  // A SAM line with a bad field fails in sam_read1 after the header and the first read.
  std::string text = f.reads.sam();
  const auto first_read_end = text.find('\n', text.find("fwd\t")) + 1;
  text.insert(first_read_end, "broken\tnotaflag\tchr1\t1\t60\t4M\t*\t0\t0\tACGT\t*\n");
  const auto path = (f.dir / "broken.sam").string();
  write_file(path, text);
  REQUIRE_THROWS_AS(read_all(spec_for(path)), InputError);
  REQUIRE_THROWS_WITH(read_all(spec_for(path)),
                      path + ": record 2 (after read 'fwd'): read error (truncated or corrupt file)");
}
