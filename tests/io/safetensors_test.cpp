#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include "core/error.h"
#include "io/safetensors.h"
#include "support/safetensors_writer.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::InputError;
using genomamba::io::DType;
using genomamba::io::SafetensorsFile;
using namespace genomamba::test;

namespace {

// Writes `bytes` to <dir>/model.safetensors and returns the path.
std::filesystem::path write_model(const TempDir& dir, const std::string& bytes) {
  const auto path = dir / "model.safetensors";
  write_file(path, bytes);
  return path;
}

const std::string kFourFloats = raw_bytes<float>({1.0f, 2.0f, 3.0f, 4.0f});

}  // namespace

TEST_CASE("SafetensorsFile: reads every supported dtype", "[io]") {
  TempDir dir;
  // F16 0x3C00=1, 0xC100=-2.5, 0x3800=0.5, 0x7BFF=65504, 0x0001=2^-24 (subnormal), 0x7C00=+inf.
  // BF16 0x3F80=1, 0xC000=-2, 0x4049=3.140625.
  const std::vector<TestTensor> tensors = {
      {"i64", "I64", {3}, raw_bytes<int64_t>({-1, 7, INT64_C(1) << 40})},
      {"f32", "F32", {2, 2}, kFourFloats},
      {"f16", "F16", {6}, raw_bytes<uint16_t>({0x3C00, 0xC100, 0x3800, 0x7BFF, 0x0001, 0x7C00})},
      {"bf16", "BF16", {3}, raw_bytes<uint16_t>({0x3F80, 0xC000, 0x4049})},
      {"f64", "F64", {2}, raw_bytes<double>({1.5, -0.25})},
      {"scalar", "F32", {}, raw_bytes<float>({42.0f})},
      {"empty", "F32", {0, 3}, ""},
  };
  // Unpadded: the data buffer starts at an odd offset, so the reader must not assume alignment.
  const bool pad = GENERATE(true, false);
  const SafetensorsFile file(write_model(dir, safetensors_file(tensors, pad)));

  REQUIRE(file.tensors().size() == tensors.size());
  REQUIRE(file.metadata().at("format") == "pt");
  REQUIRE(file.contains("f32"));
  REQUIRE_FALSE(file.contains("nope"));

  const auto& f32 = file.at("f32");
  CHECK(f32.dtype == DType::F32);
  CHECK(f32.shape == std::vector<int64_t>{2, 2});
  CHECK(f32.numel() == 4);
  CHECK(f32.to_f32() == std::vector<float>{1.0f, 2.0f, 3.0f, 4.0f});

  const float inf = std::numeric_limits<float>::infinity();
  CHECK(file.at("f16").to_f32() == std::vector<float>{1.0f, -2.5f, 0.5f, 65504.0f, 0x1p-24f, inf});
  CHECK(file.at("bf16").to_f32() == std::vector<float>{1.0f, -2.0f, 3.140625f});
  CHECK(file.at("f64").to_f32() == std::vector<float>{1.5f, -0.25f});
  CHECK(file.at("i64").to_i64() == std::vector<int64_t>{-1, 7, INT64_C(1) << 40});
  CHECK(file.at("scalar").numel() == 1);
  CHECK(file.at("scalar").to_f32() == std::vector<float>{42.0f});
  CHECK(file.at("empty").numel() == 0);
  CHECK(file.at("empty").to_f32().empty());

  CHECK(genomamba::io::dtype_size(DType::BF16) == 2);
  CHECK(std::string(genomamba::io::dtype_name(DType::I64)) == "I64");
  CHECK(genomamba::io::shape_string({16, 256}) == "[16, 256]");
}

TEST_CASE("SafetensorsFile: converting to the wrong kind of dtype is an error", "[io]") {
  TempDir dir;
  const SafetensorsFile file(write_model(dir, safetensors_file({{"ids", "I64", {1}, raw_bytes<int64_t>({3})},
                                                                {"w", "F32", {1}, raw_bytes<float>({1.0f})}})));
  REQUIRE_THROWS_WITH(file.at("ids").to_f32(), Contains("tensor 'ids'") && Contains("I64"));
  REQUIRE_THROWS_WITH(file.at("w").to_i64(), Contains("tensor 'w'") && Contains("expected I64"));
}

TEST_CASE("SafetensorsFile: accepts an empty header with no data", "[io]") {
  TempDir dir;
  const SafetensorsFile file(write_model(dir, safetensors_bytes("{}", "")));
  CHECK(file.tensors().empty());
  CHECK(file.metadata().empty());
}

TEST_CASE("SafetensorsFile: at() names a missing tensor", "[io]") {
  TempDir dir;
  const auto path = write_model(dir, safetensors_file({{"a", "F32", {4}, kFourFloats}}));
  const SafetensorsFile file(path);
  REQUIRE_THROWS_AS(file.at("b"), InputError);
  REQUIRE_THROWS_WITH(file.at("b"), Contains(path.string()) && Contains("tensor 'b' is missing"));
}

TEST_CASE("SafetensorsFile: rejects a missing file", "[io]") {
  TempDir dir;
  const auto path = dir / "absent.safetensors";
  REQUIRE_THROWS_AS(SafetensorsFile(path), InputError);
  REQUIRE_THROWS_WITH(SafetensorsFile(path), Contains(path.string() + ": cannot open: No such file or directory"));
}

namespace {

// Every malformed file must give an InputError that starts with the path and contains `problem`.
void require_rejected(const std::string& bytes, const std::string& problem) {
  TempDir dir;
  const auto path = write_model(dir, bytes);
  REQUIRE_THROWS_AS(SafetensorsFile(path), InputError);
  REQUIRE_THROWS_WITH(SafetensorsFile(path), Catch::StartsWith(path.string() + ": ") && Contains(problem));
}

}  // namespace

TEST_CASE("SafetensorsFile: rejects a file shorter than 8 bytes", "[io]") {
  require_rejected("abc", "file is too short for a safetensors header (3 bytes, need at least 8)");
  require_rejected("", "(0 bytes, need at least 8)");
}

TEST_CASE("SafetensorsFile: rejects a header length over the 100,000,000-byte limit", "[io]") {
  require_rejected(length_prefix(123456789) + "{}", "header length 123456789 exceeds the limit of 100000000 bytes");
}

TEST_CASE("SafetensorsFile: rejects a header length beyond the file size", "[io]") {
  require_rejected(length_prefix(1000) + "{}" + std::string(10, ' '),
                   "header length 1000 exceeds the file size (20 bytes)");
}

TEST_CASE("SafetensorsFile: rejects a header that does not start with '{'", "[io]") {
  require_rejected(safetensors_bytes(" {}", ""), "header does not start with '{'");
  require_rejected(safetensors_bytes("[]", ""), "header does not start with '{'");
  require_rejected(length_prefix(0), "header does not start with '{'");
}

TEST_CASE("SafetensorsFile: rejects a header that is not valid JSON", "[io]") {
  require_rejected(safetensors_bytes("{\"a\": }", ""), "header is not valid JSON: ");
  require_rejected(safetensors_bytes("{} x", ""), "header is not valid JSON: ");
}

TEST_CASE("SafetensorsFile: rejects duplicate keys", "[io]") {
  const std::string a = entry("a", "F32", "[4]", "[0,16]");
  require_rejected(safetensors_bytes(object({a, a}), kFourFloats), "duplicate key 'a'");
  // Nested inside a tensor entry too (nlohmann would silently keep the last value).
  require_rejected(safetensors_bytes(R"({"a":{"dtype":"F32","dtype":"F16","shape":[4],"data_offsets":[0,16]}})",
                                     kFourFloats),
                   "duplicate key 'dtype'");
}

TEST_CASE("SafetensorsFile: rejects unsupported dtypes", "[io]") {
  require_rejected(safetensors_bytes(object({entry("x", "U8", "[4]", "[0,4]")}), "abcd"),
                   "unsupported dtype 'U8' for tensor 'x'");
  require_rejected(safetensors_bytes(object({entry("x", "f32", "[1]", "[0,4]")}), "abcd"),
                   "unsupported dtype 'f32' for tensor 'x'");
}

TEST_CASE("SafetensorsFile: rejects negative and non-integer shape entries", "[io]") {
  require_rejected(safetensors_bytes(object({entry("x", "F32", "[-1, 4]", "[0,16]")}), kFourFloats),
                   "tensor 'x' shape [-1,4] has a negative dimension -1");
  require_rejected(safetensors_bytes(object({entry("x", "F32", "[2.5]", "[0,16]")}), kFourFloats),
                   "tensor 'x' shape entry 2.5 is not a non-negative integer");
  require_rejected(safetensors_bytes(object({entry("x", "F32", "[\"4\"]", "[0,16]")}), kFourFloats),
                   "tensor 'x' shape entry \"4\" is not a non-negative integer");
  require_rejected(safetensors_bytes(object({entry("x", "F32", "4", "[0,16]")}), kFourFloats),
                   "tensor 'x' field 'shape' must be an array");
}

TEST_CASE("SafetensorsFile: rejects malformed data_offsets", "[io]") {
  require_rejected(safetensors_bytes(object({entry("x", "F32", "[0]", "[12,0]")}), ""),
                   "tensor 'x' data_offsets [12, 0] have begin > end");
  require_rejected(safetensors_bytes(object({entry("x", "F32", "[4]", "[0]")}), kFourFloats),
                   "tensor 'x' field 'data_offsets' must be [begin, end]");
  require_rejected(safetensors_bytes(object({entry("x", "F32", "[4]", "[-4,12]")}), kFourFloats),
                   "tensor 'x' data_offsets entry -4 is not a non-negative integer");
  require_rejected(safetensors_bytes(R"({"x":{"dtype":"F32","shape":[4]}})", kFourFloats),
                   "tensor 'x' has no 'data_offsets'");
  require_rejected(safetensors_bytes(R"({"x":[1,2]})", ""), "tensor 'x' must be an object");
}

TEST_CASE("SafetensorsFile: rejects data_offsets that do not match dtype and shape", "[io]") {
  require_rejected(safetensors_bytes(object({entry("x", "F32", "[2, 2]", "[0,12]")}), kFourFloats.substr(0, 12)),
                   "tensor 'x' data_offsets [0, 12] do not match dtype F32 and shape [2, 2] (16 bytes)");
  require_rejected(safetensors_bytes(object({entry("x", "F32", "[4611686018427387904, 4]", "[0,16]")}), kFourFloats),
                   "tensor 'x' shape [4611686018427387904, 4] is too large");
}

TEST_CASE("SafetensorsFile: rejects overlapping tensors", "[io]") {
  const std::string header = object({entry("a", "F32", "[4]", "[0,16]"), entry("b", "F32", "[4]", "[8,24]")});
  require_rejected(safetensors_bytes(header, kFourFloats + kFourFloats.substr(0, 8)), "tensors 'a' and 'b' overlap");
}

TEST_CASE("SafetensorsFile: rejects a hole in the data buffer", "[io]") {
  const std::string header = object({entry("a", "F32", "[2]", "[0,8]"), entry("b", "F32", "[2]", "[12,20]")});
  require_rejected(safetensors_bytes(header, std::string(20, '\0')), "data buffer has a hole at bytes [8, 12)");
  // Unused bytes after the last tensor are a hole as well.
  require_rejected(safetensors_bytes(object({entry("a", "F32", "[4]", "[0,16]")}), kFourFloats + "xxxx"),
                   "data buffer has a hole at bytes [16, 20) after the last tensor");
}

TEST_CASE("SafetensorsFile: rejects a truncated file", "[io]") {
  const std::string header = object({entry("a", "F32", "[4]", "[0,16]")});
  const std::string bytes = safetensors_bytes(header, kFourFloats.substr(0, 8));  // 8 of 16 data bytes
  const size_t header_end = bytes.size() - 8;
  require_rejected(bytes, "file is truncated: data ends at byte " + std::to_string(bytes.size()) +
                              " but tensors need " + std::to_string(header_end + 16));
}

TEST_CASE("SafetensorsFile: rejects a malformed __metadata__", "[io]") {
  require_rejected(safetensors_bytes(R"({"__metadata__":{"format":1}})", ""),
                   "'__metadata__' value of 'format' must be a string");
  require_rejected(safetensors_bytes(R"({"__metadata__":[]})", ""), "'__metadata__' must be an object");
}
