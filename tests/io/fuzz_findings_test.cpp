// Regression tests for what the libFuzzer targets (tests/fuzz/) found in src/io: each case is the smallest
// form of a reproducer, and each failed before its fix.
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <string>

#include "core/error.h"
#include "io/model_config.h"
#include "io/region.h"
#include "io/safetensors.h"
#include "io/vcf_reader.h"
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
