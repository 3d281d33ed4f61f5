#include "core/device_memory.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include "core/error.h"

namespace genomamba::core::detail {
namespace {

constexpr size_t kCpuAlignment = 64;  // one cache line; every SIMD width the CPU kernels use

}  // namespace

void* device_alloc(Device device, size_t bytes) {
  if (bytes == 0) return nullptr;
  if (!device.is_cpu()) return cuda_alloc(device.index, bytes);
  const size_t rounded = (bytes + kCpuAlignment - 1) / kCpuAlignment * kCpuAlignment;
  void* ptr = std::aligned_alloc(kCpuAlignment, rounded);
  if (!ptr) throw DeviceError("out of memory: cannot allocate " + std::to_string(bytes) + " bytes on the CPU");
  return ptr;
}

void device_free(Device device, void* ptr) noexcept {
  if (!ptr) return;
  if (device.is_cpu()) {
    std::free(ptr);
  } else {
    cuda_free(device.index, ptr);
  }
}

void copy_to_device(Device device, void* dst, const void* src, size_t bytes) {
  if (device.is_cpu()) {
    std::memcpy(dst, src, bytes);
  } else {
    cuda_copy(device.index, dst, src, bytes, /*to_device=*/true);
  }
}

void copy_to_host(Device device, void* dst, const void* src, size_t bytes) {
  if (device.is_cpu()) {
    std::memcpy(dst, src, bytes);
  } else {
    cuda_copy(device.index, dst, src, bytes, /*to_device=*/false);
  }
}

void zero_device(Device device, void* ptr, size_t bytes) {
  if (device.is_cpu()) {
    std::memset(ptr, 0, bytes);
  } else {
    cuda_zero(device.index, ptr, bytes);
  }
}

}  // namespace genomamba::core::detail
