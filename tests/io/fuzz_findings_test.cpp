// Regression tests for what the libFuzzer targets (tests/fuzz/) found in src/io: each case is the smallest
// form of a reproducer, and each failed before its fix.
#include <catch2/catch.hpp>
#include <htslib/bgzf.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>

#include "core/error.h"
#include "io/model_config.h"
#include "io/region.h"
#include "io/safetensors.h"
#include "io/vcf_reader.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::ConfigError;
using genomamba::UsageError;
using genomamba::InputError;
using namespace genomamba::test;

namespace {

std::filesystem::path write_named(const TempDir& dir, const std::string& name, const std::string& text) {
  const auto path = dir / name;
  write_file(path, text);
  return path;
}

// `depth` nested arrays: "[[[...]]]".
std::string nested_arrays(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// A safetensors file whose header is `header` and whose data buffer is empty.
std::string safetensors_bytes(const std::string& header) {
  std::string bytes(8, '\0');
  for (size_t i = 0; i < 8; ++i) bytes[i] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return bytes + header;
}

// VmPeak of /proc/self/status in bytes: the most address space this process has ever mapped. A malloc of
// gigabytes raises it even when the memory is never touched (and so never shows in RSS).
int64_t peak_virtual_bytes() {
  std::ifstream status("/proc/self/status");
  std::string key;
  int64_t kib = 0;
  while (status >> key) {
    if (key == "VmPeak:" && status >> kib) return kib * 1024;
    status.ignore(1 << 20, '\n');
  }
  FAIL("no VmPeak in /proc/self/status");
  return 0;
}

std::string config_with_vocab(const std::string& vocab) {
  return R"({"d_model": 8, "n_layer": 1, "ssm_cfg": {}, "vocab_size": )" + vocab + "}";
}

}  // namespace

// fuzz_model_config: the complement map was extended to vocab_size entries before any weight was read, so a
// 70-byte config claiming vocab_size 2147483640 allocated 8.6 GB (and 2^31 bits more for the permutation check).
TEST_CASE("read_model_config: a huge vocab_size is refused before anything is allocated for it", "[io][fuzz]") {
  TempDir dir;
  for (const char* vocab : {"2147483640", "1000000", "65537"}) {
    CAPTURE(vocab);
    const auto path = write_named(dir, "config.json", config_with_vocab(vocab));
    REQUIRE_THROWS_AS(genomamba::io::read_model_config(path), ConfigError);
    REQUIRE_THROWS_WITH(genomamba::io::read_model_config(path),
                        Contains("field 'vocab_size' = ") && Contains("at most 65536 rows are supported"));
  }
  // The bound itself is accepted, and the identity tail of the complement map still reaches it.
  const auto path = write_named(dir, "config.json", config_with_vocab("65536"));
  CHECK(genomamba::io::read_model_config(path).complement_map.size() == 65536);
}

// fuzz_safetensors and fuzz_model_config, found with a larger input than libFuzzer's 4 KB: nlohmann parses any
// nesting depth iteratively, but the dump() in the error message recursed once per level, so 200 KB of '['
// in a shape (or in a config field) overflowed the stack instead of giving an error.
TEST_CASE("JSON readers: deeply nested values are refused with a message, not a stack overflow", "[io][fuzz]") {
  TempDir dir;
  const std::string deep = nested_arrays(200000);
  const auto model = write_named(
      dir, "model.safetensors",
      safetensors_bytes(R"({"w":{"dtype":"F32","shape":[)" + deep + R"(],"data_offsets":[0,0]}})"));
  REQUIRE_THROWS_AS(genomamba::io::SafetensorsFile(model), InputError);
  REQUIRE_THROWS_WITH(genomamba::io::SafetensorsFile(model),
                      Contains("header nests objects or arrays deeper than 64 levels"));

  const auto config = write_named(dir, "config.json", R"({"d_model": )" + deep + "}");
  REQUIRE_THROWS_AS(genomamba::io::read_model_config(config), InputError);
  REQUIRE_THROWS_WITH(genomamba::io::read_model_config(config),
                      Contains("config nests objects or arrays deeper than 64 levels"));

  // 64 levels are still read (and reported as the wrong type, not as too deep).
  const auto ok_depth = write_named(dir, "config.json", R"({"d_model": )" + nested_arrays(63) + "}");
  REQUIRE_THROWS_WITH(genomamba::io::read_model_config(ok_depth), Contains("field 'd_model' must be an integer"));
}

// fuzz_region: positions went through htslib's hts_parse_decimal, which does not check for overflow: 2^64 + 1
// wrapped around to position 1, and an exponent of 2^31 - 1 made it multiply by ten two billion times.
TEST_CASE("parse_region: a position too large for 64 bits is an error, not a wrapped value", "[io][fuzz]") {
  const auto [text, message] = GENERATE(table<std::string, std::string>({
      {"chr1:18446744073709551617", "start position '18446744073709551617' is too large"},
      {"chr1:1-9,223,372,036,854,775,808", "end position '9,223,372,036,854,775,808' is too large"},
      {"chr1:10000000000G", "start position '10000000000G' is too large"},
      {"chr1:1e2147483647", "start position '1e2147483647' is not a number"},
      {"chr1:1.5", "start position '1.5' is not a whole number"},
  }));
  CAPTURE(text);
  REQUIRE_THROWS_AS(genomamba::io::parse_region(text), UsageError);
  REQUIRE_THROWS_WITH(genomamba::io::parse_region(text), Contains(message));
}

TEST_CASE("parse_region: multipliers, fractions and separators still give exact positions", "[io][fuzz]") {
  const auto [text, begin, end] = GENERATE(table<std::string, int64_t, int64_t>({
      {"c:1.5k-2M", 1499, 2000000},
      {"c:1,000-2.000k", 999, 2000},
      {"c:9,223,372,036,854,775,806-9223372036854775807", INT64_C(9223372036854775805), INT64_MAX},
      {"c:1G", 999999999, genomamba::io::kRegionEnd},
  }));
  CAPTURE(text);
  const genomamba::io::Region region = genomamba::io::parse_region(text);
  CHECK(region.begin == begin);
  CHECK(region.end == end);
}

// fuzz_vcf: bcf_hdr_read mallocs the header length a BCF file claims before reading it, so 30 bytes claiming
// a 4 GB header allocated 4 GB (harmless with overcommit, fatal under a strict limit). The header is now read
// in chunks as the bytes arrive.
TEST_CASE("VcfReader: a BCF header length claim is not allocated up front", "[io][fuzz]") {
  TempDir dir;
  const std::string text = "##fileformat=VCFv4.2\n";
  const std::string claim("\xf0\xff\xff\xff", 4);  // 4,294,967,280 bytes, little-endian
  const auto path = write_named(dir, "claim.bcf", std::string("BCF\2\2", 5) + claim + text);
  const int64_t before = peak_virtual_bytes();
  REQUIRE_THROWS_AS(genomamba::io::VcfReader(path.string(), {}), InputError);
  REQUIRE_THROWS_WITH(genomamba::io::VcfReader(path.string(), {}), Contains("cannot read the VCF/BCF header"));
  CHECK(peak_virtual_bytes() - before < (INT64_C(1) << 30));
}

namespace {

// An uncompressed BCF of `n_records` SNVs on contig c1 (written by bcftools, which compresses a file named .bcf) whose header is padded so that
// the first record starts `record_start` bytes into the file. Returns the file's bytes.
std::string padded_bcf(const TempDir& dir, size_t record_start, int n_records) {
  const std::string head = "##fileformat=VCFv4.2\n##contig=<ID=c1,length=100000>\n";
  const std::string columns = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  std::string records;
  for (int i = 1; i <= n_records; ++i) records += "c1\t" + std::to_string(i) + "\t.\tA\tC\t.\t.\t.\n";
  const auto encode = [&](const std::string& padding) {
    write_file(dir / "calls.vcf", head + padding + columns + records);
    const auto result = run_command("bcftools view --no-version -Ou -o " + (dir / "calls.ubcf").string() + " " +
                                    (dir / "calls.vcf").string());
    REQUIRE(result.exit_code == 0);
    std::ifstream in(dir / "calls.ubcf", std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  // BCF: magic (5 bytes), header length (4), header text; then the records.
  const auto first_record = [](const std::string& bcf) {
    return 9 + (static_cast<uint8_t>(bcf[5]) | static_cast<uint8_t>(bcf[6]) << 8 |
                static_cast<size_t>(static_cast<uint8_t>(bcf[7])) << 16 |
                static_cast<size_t>(static_cast<uint8_t>(bcf[8])) << 24);
  };
  const size_t unpadded = first_record(encode(""));
  REQUIRE(record_start >= unpadded + 12);
  const std::string bcf = encode("##padding=" + std::string(record_start - unpadded - 11, 'x') + "\n");
  REQUIRE(first_record(bcf) == record_start);
  return bcf;
}

// `bytes` as BGZF through htslib, cut into blocks of BGZF_BLOCK_SIZE bytes wherever records fall.
void write_bgzf(const std::filesystem::path& path, const std::string& bytes) {
  BGZF* out = bgzf_open(path.c_str(), "w");
  REQUIRE(out != nullptr);
  const bool written = bgzf_write(out, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  REQUIRE(bgzf_close(out) == 0);
  REQUIRE(written);
}

// Where a record's 8 length bytes span two reads: BGZF writes blocks of BGZF_BLOCK_SIZE bytes, and an uncompressed
// BCF is read BGZF_MAX_BLOCK_SIZE bytes at a time.
constexpr size_t kBgzfStraddle = BGZF_BLOCK_SIZE - 4;
constexpr size_t kUncompressedStraddle = BGZF_MAX_BLOCK_SIZE - 4;

// Sets the first record's shared length to 0xF0000000 bytes (little-endian).
std::string with_claim(std::string bcf, size_t record_start) {
  bcf.replace(record_start, 4, std::string("\x00\x00\x00\xf0", 4));
  return bcf;
}

}  // namespace

// fuzz_vcf: bcf_read resizes its buffers to the lengths a BCF record claims before reading it (6 GB for a
// record claiming 0xF0000000 bytes). The claim is now read first and refused when the file cannot hold it, also
// when the record's first bytes straddle two BGZF blocks.
TEST_CASE("VcfReader: a BCF record length claim larger than the file is refused before it is allocated",
          "[io][fuzz]") {
  TempDir dir;
  const std::string how = GENERATE("uncompressed", "uncompressed across reads", "bgzf", "bgzf across blocks");
  CAPTURE(how);
  const auto path = dir / "claim.bcf";
  if (how == "uncompressed") write_file(path, with_claim(padded_bcf(dir, 2000, 3), 2000));
  if (how == "uncompressed across reads") {
    write_file(path, with_claim(padded_bcf(dir, kUncompressedStraddle, 3), kUncompressedStraddle));
  }
  if (how == "bgzf") write_bgzf(path, with_claim(padded_bcf(dir, 2000, 3), 2000));
  if (how == "bgzf across blocks") write_bgzf(path, with_claim(padded_bcf(dir, kBgzfStraddle, 3), kBgzfStraddle));
  const int64_t before = peak_virtual_bytes();
  genomamba::io::VcfReader reader(path.string(), {});
  genomamba::io::VcfRecord record;
  REQUIRE_THROWS_AS(reader.next(record), InputError);
  genomamba::io::VcfReader again(path.string(), {});
  REQUIRE_THROWS_WITH(again.next(record), Contains("record 1") && Contains("claims 4026531840 bytes"));
  CHECK(peak_virtual_bytes() - before < (INT64_C(1) << 30));
}

// The claim is read without consuming it: records whose first bytes straddle a block boundary read whole.
TEST_CASE("VcfReader: BCF records straddling BGZF blocks read as written", "[io][fuzz]") {
  TempDir dir;
  const int n_records = 4000;  // about 100 KB of records after the padded header: more boundaries to cross
  const std::string how = GENERATE("uncompressed", "bgzf");
  CAPTURE(how);
  const auto path = dir / "straddle.bcf";
  if (how == "uncompressed") write_file(path, padded_bcf(dir, kUncompressedStraddle, n_records));
  if (how == "bgzf") write_bgzf(path, padded_bcf(dir, kBgzfStraddle, n_records));
  genomamba::io::VcfReader reader(path.string(), {});
  genomamba::io::VcfRecord record;
  int64_t expected_pos = 0;
  while (reader.next(record)) {
    REQUIRE(record.pos == expected_pos);
    REQUIRE(record.alts == std::vector<std::string>{"C"});
    ++expected_pos;
  }
  CHECK(expected_pos == n_records);
}

// fuzz_vcf: IDX= attributes can leave holes in a header's contig list; naming the contigs for a region check
// built a std::string from the hole's null name (std::logic_error, uncaught). A BCF record pointing into the hole
// is refused (HTSlib flags it).
TEST_CASE("VcfReader: a hole in the header's contig list is skipped, and a record in it refused", "[io][fuzz]") {
  TempDir dir;
  const std::string vcf =
      "##fileformat=VCFv4.2\n##contig=<ID=c1,length=100,IDX=1>\n"
      "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nc1\t5\t.\tA\tC\t.\t.\t.\n";
  write_file(dir / "holes.vcf", vcf);
  genomamba::io::VcfRecord record;
  genomamba::io::VcfReader reader((dir / "holes.vcf").string(), {"c1:1-10"});
  REQUIRE(reader.next(record));
  CHECK(record.chrom == "c1");
  CHECK(record.pos == 4);
  REQUIRE_THROWS_WITH(genomamba::io::VcfReader((dir / "holes.vcf").string(), {"c0:1-10"}), Contains("c0"));
  // The same record as BCF, its contig index moved into the hole (rid 0, the int32 after the two lengths).
  const auto made = run_command("bcftools view --no-version -Ou -o " + (dir / "holes.ubcf").string() + " " +
                                (dir / "holes.vcf").string());
  REQUIRE(made.exit_code == 0);
  std::ifstream in(dir / "holes.ubcf", std::ios::binary);
  std::string bcf(std::istreambuf_iterator<char>(in), {});
  const size_t start = 9 + (static_cast<uint8_t>(bcf[5]) | static_cast<uint8_t>(bcf[6]) << 8);
  REQUIRE(bcf.substr(start + 8, 4) == std::string("\1\0\0\0", 4));
  bcf.replace(start + 8, 4, std::string(4, '\0'));
  write_file(dir / "holes.bcf", bcf);
  genomamba::io::VcfReader holes((dir / "holes.bcf").string(), {});
  REQUIRE_THROWS_WITH(holes.next(record), Contains("record 1") && Contains("contig index the header does not name"));
}
