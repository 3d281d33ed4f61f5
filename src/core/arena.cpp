#include "core/arena.h"

#include "core/device_memory.h"
#include "core/error.h"

namespace genomamba::core {
namespace {

constexpr size_t kAlignFloats = 16;  // 64 bytes

}  // namespace

Arena::Arena(Device device, size_t floats)
    : buffer_(device, floats * sizeof(float)), measuring_(false), capacity_(floats) {}

float* Arena::take(int64_t floats) {
  GM_CHECK(floats >= 0, "Arena::take: floats must be >= 0");
  if (floats == 0) return nullptr;
  const size_t start = used_;
  used_ += (static_cast<size_t>(floats) + kAlignFloats - 1) / kAlignFloats * kAlignFloats;
  if (measuring()) return nullptr;
  GM_CHECK(used_ <= capacity_, "Arena::take: the arena is carved beyond the size it was measured at");
  return static_cast<float*>(buffer_.data()) + start;
}

float* Arena::put(std::span<const float> values) {
  float* region = take(static_cast<int64_t>(values.size()));
  if (region != nullptr) detail::copy_to_device(device(), region, values.data(), values.size_bytes());
  return region;
}

}  // namespace genomamba::core

namespace genomamba::core {

int32_t* Arena::put(std::span<const int32_t> values) {
  static_assert(sizeof(int32_t) == sizeof(float));
  float* region = take(static_cast<int64_t>(values.size()));
  if (region != nullptr) detail::copy_to_device(device(), region, values.data(), values.size_bytes());
  return reinterpret_cast<int32_t*>(region);
}

}  // namespace genomamba::core
