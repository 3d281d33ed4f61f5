#pragma once
/// An owning, move-only block of memory on one device: the weights and the scratch arena of the engine live
/// in these. Contents are zero after construction.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/device.h"

namespace genomamba::core {

class Buffer {
 public:
  Buffer() = default;
  /// `bytes` zeroed bytes on `device`. @throws DeviceError when the memory cannot be had; ConfigError for a
  /// CUDA device that is not visible or a build without CUDA.
  Buffer(Device device, size_t bytes);
  ~Buffer();
  Buffer(Buffer&& other) noexcept;
  Buffer& operator=(Buffer&& other) noexcept;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  /// A buffer on `device` holding a copy of `values`.
  static Buffer from_host(Device device, std::span<const float> values);

  Device device() const { return device_; }
  size_t bytes() const { return bytes_; }
  void* data() { return data_; }
  const void* data() const { return data_; }
  float* f32() { return static_cast<float*>(data_); }
  const float* f32() const { return static_cast<const float*>(data_); }

  /// Copies the first `out.size()` floats to host memory.
  void copy_to_host(std::span<float> out) const;

 private:
  Device device_;
  void* data_ = nullptr;
  size_t bytes_ = 0;
};

/// Copies `bytes` bytes of host memory to memory of `device`.
void upload_bytes(Device device, void* dst, const void* src, size_t bytes);
/// Sets `n` floats of memory of `device` to zero.
void zero_floats(Device device, float* ptr, int64_t n);
/// Copies `n` floats between two regions of memory of `device` (which must not overlap).
void copy_floats(Device device, float* dst, const float* src, int64_t n);
/// Copies `rows` rows of `cols` floats from memory of `device` (row stride src_stride) to host memory (row stride
/// dst_stride): a block of a host matrix's columns filled from a device matrix.
void download_rows(Device device, float* dst, int64_t dst_stride, const float* src, int64_t src_stride, int64_t rows,
                   int64_t cols);

}  // namespace genomamba::core
