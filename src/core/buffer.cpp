#include "core/buffer.h"

#include <cstring>
#include <utility>

#include "core/device_memory.h"
#include "core/error.h"

namespace genomamba::core {

Buffer::Buffer(Device device, size_t bytes) : device_(device), bytes_(bytes) {
  data_ = detail::device_alloc(device, bytes);
  if (bytes > 0) detail::zero_device(device, data_, bytes);
}

Buffer::~Buffer() { detail::device_free(device_, data_); }

Buffer::Buffer(Buffer&& other) noexcept
    : device_(other.device_), data_(std::exchange(other.data_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}

Buffer& Buffer::operator=(Buffer&& other) noexcept {
  if (this != &other) {
    detail::device_free(device_, data_);
    device_ = other.device_;
    data_ = std::exchange(other.data_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

Buffer Buffer::from_host(Device device, std::span<const float> values) {
  Buffer buffer(device, values.size_bytes());
  if (!values.empty()) detail::copy_to_device(device, buffer.data_, values.data(), values.size_bytes());
  return buffer;
}

void Buffer::copy_to_host(std::span<float> out) const {
  GM_CHECK(out.size_bytes() <= bytes_, "Buffer::copy_to_host: more floats asked for than the buffer holds");
  if (!out.empty()) detail::copy_to_host(device_, out.data(), data_, out.size_bytes());
}

void upload_bytes(Device device, void* dst, const void* src, size_t bytes) {
  if (bytes > 0) detail::copy_to_device(device, dst, src, bytes);
}

void zero_floats(Device device, float* ptr, int64_t n) {
  if (n > 0) detail::zero_device(device, ptr, static_cast<size_t>(n) * sizeof(float));
}

void copy_floats(Device device, float* dst, const float* src, int64_t n) {
  if (n <= 0) return;
  if (device.is_cpu()) {
    std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
  } else {
    detail::cuda_copy_within(device.index, dst, src, static_cast<size_t>(n) * sizeof(float));
  }
}

void download_rows(Device device, float* dst, int64_t dst_stride, const float* src, int64_t src_stride, int64_t rows,
                   int64_t cols) {
  if (rows <= 0 || cols <= 0) return;
  GM_CHECK(dst_stride >= cols && src_stride >= cols, "download_rows: strides must be >= cols");
  if (device.is_cpu()) {
    for (int64_t r = 0; r < rows; ++r) std::memcpy(dst + r * dst_stride, src + r * src_stride, cols * sizeof(float));
    return;
  }
  detail::cuda_copy_rows_to_host(device.index, dst, static_cast<size_t>(dst_stride) * sizeof(float), src,
                                 static_cast<size_t>(src_stride) * sizeof(float), static_cast<size_t>(cols) * sizeof(float),
                                 static_cast<size_t>(rows));
}

}  // namespace genomamba::core
