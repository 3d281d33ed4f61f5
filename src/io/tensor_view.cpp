// TensorView element access and the dtype helpers of safetensors.h.
#include <bit>
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "io/safetensors.h"

namespace genomamba::io {
namespace {

static_assert(std::endian::native == std::endian::little,
              "safetensors stores little-endian data; big-endian hosts are not supported");

template <class T>
T load(const std::byte* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));  // tensor data has no alignment guarantee
  return value;
}

// IEEE binary16 -> binary32; exact for every value, including subnormals, infinities and NaN.
float half_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1fu;
  const uint32_t mantissa = h & 0x3ffu;
  if (exponent == 0x1f) return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
  if (exponent == 0) {
    // Zero or subnormal: mantissa * 2^-24 is exact in float32.
    const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  return std::bit_cast<float>(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

float bf16_to_float(uint16_t b) { return std::bit_cast<float>(static_cast<uint32_t>(b) << 16); }

}  // namespace

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::F32: return "F32";
    case DType::F16: return "F16";
    case DType::BF16: return "BF16";
    case DType::F64: return "F64";
    case DType::I64: return "I64";
  }
  return "?";
}

int dtype_size(DType dtype) {
  switch (dtype) {
    case DType::F32: return 4;
    case DType::F16: return 2;
    case DType::BF16: return 2;
    case DType::F64: return 8;
    case DType::I64: return 8;
  }
  return 0;
}

std::string shape_string(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

int64_t TensorView::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::vector<float> TensorView::to_f32() const {
  const auto n = static_cast<size_t>(numel());
  GM_CHECK(bytes.size() == n * static_cast<size_t>(dtype_size(dtype)), "tensor bytes must match dtype and shape");
  std::vector<float> out(n);
  const std::byte* p = bytes.data();
  switch (dtype) {
    case DType::F32:
      if (n) std::memcpy(out.data(), p, n * sizeof(float));
      break;
    case DType::F16:
      for (size_t i = 0; i < n; ++i) out[i] = half_to_float(load<uint16_t>(p + 2 * i));
      break;
    case DType::BF16:
      for (size_t i = 0; i < n; ++i) out[i] = bf16_to_float(load<uint16_t>(p + 2 * i));
      break;
    case DType::F64:
      for (size_t i = 0; i < n; ++i) out[i] = static_cast<float>(load<double>(p + 8 * i));
      break;
    case DType::I64:
      throw InputError("tensor '" + name + "' has dtype I64, expected a floating-point dtype");
  }
  return out;
}

std::vector<int64_t> TensorView::to_i64() const {
  if (dtype != DType::I64) {
    throw InputError("tensor '" + name + "' has dtype " + dtype_name(dtype) + ", expected I64");
  }
  const auto n = static_cast<size_t>(numel());
  GM_CHECK(bytes.size() == n * sizeof(int64_t), "tensor bytes must match dtype and shape");
  std::vector<int64_t> out(n);
  if (n) std::memcpy(out.data(), bytes.data(), n * sizeof(int64_t));
  return out;
}

}  // namespace genomamba::io
