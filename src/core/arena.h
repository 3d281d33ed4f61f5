#pragma once
/// One block of device memory carved into regions in a fixed order, sized once. The same carving code runs
/// twice: first on a measuring arena (no memory; take() returns nullptr and counts), then on a real one of the
/// measured size. So the size the memory plan predicts is the size the run allocates.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/buffer.h"

namespace genomamba::core {

class Arena {
 public:
  /// A measuring arena.
  Arena() = default;
  /// A real arena of `floats` floats on `device`, zeroed.
  Arena(Device device, size_t floats);

  /// The next region of `floats` floats (64-byte aligned); nullptr on a measuring arena or for 0 floats.
  /// @throws InternalError when a real arena has no room left (carved differently from how it was measured).
  float* take(int64_t floats);
  /// take() of values.size() floats, filled with a copy of `values` (uploaded to the device).
  float* put(std::span<const float> values);
  /// The same for 32-bit integers (token ids, index maps), stored in float-sized slots.
  int32_t* put(std::span<const int32_t> values);

  bool measuring() const { return measuring_; }
  size_t used_floats() const { return used_; }
  size_t used_bytes() const { return used_ * sizeof(float); }
  Device device() const { return buffer_.device(); }

 private:
  Buffer buffer_;
  bool measuring_ = true;
  size_t capacity_ = 0;  // floats
  size_t used_ = 0;      // floats, including alignment padding
};

}  // namespace genomamba::core
