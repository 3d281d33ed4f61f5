// The CUDA memory calls of core::Buffer, compiled only when CUDA is found (src/core/CMakeLists.txt). Every
// failing call is a DeviceError naming the call, the device and CUDA's reason.
#include <cuda_runtime_api.h>

#include <string>

#include "core/device_memory.h"
#include "core/error.h"

namespace genomamba::core {
namespace {

void check(cudaError_t status, const std::string& what, int device_index) {
  if (status == cudaSuccess) return;
  throw DeviceError("CUDA error on cuda:" + std::to_string(device_index) + " in " + what + ": " +
                    cudaGetErrorString(status));
}

void select(int device_index) {
  const int count = cuda_device_count();
  if (device_index < 0 || device_index >= count) {
    throw ConfigError("device cuda:" + std::to_string(device_index) + " is not visible (" + std::to_string(count) +
                      " CUDA device(s) visible)");
  }
  check(cudaSetDevice(device_index), "cudaSetDevice", device_index);
}

}  // namespace

bool built_with_cuda() { return true; }

int cuda_device_count() {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError();  // clears the sticky "no driver" error
    return 0;
  }
  return n;
}

DeviceMemoryInfo cuda_memory_info(int device_index) {
  select(device_index);
  size_t free_bytes = 0, total_bytes = 0;
  check(cudaMemGetInfo(&free_bytes, &total_bytes), "cudaMemGetInfo", device_index);
  return {static_cast<int64_t>(free_bytes), static_cast<int64_t>(total_bytes)};
}

std::string cuda_device_name(int device_index) {
  select(device_index);
  cudaDeviceProp properties{};
  check(cudaGetDeviceProperties(&properties, device_index), "cudaGetDeviceProperties", device_index);
  return properties.name;
}

namespace detail {

void* cuda_alloc(int device_index, size_t bytes) {
  select(device_index);
  void* ptr = nullptr;
  check(cudaMalloc(&ptr, bytes), "cudaMalloc of " + std::to_string(bytes) + " bytes", device_index);
  return ptr;
}

void cuda_free(int device_index, void* ptr) noexcept {
  if (cudaSetDevice(device_index) == cudaSuccess) cudaFree(ptr);
}

void cuda_copy(int device_index, void* dst, const void* src, size_t bytes, bool to_device) {
  select(device_index);
  check(cudaMemcpy(dst, src, bytes, to_device ? cudaMemcpyHostToDevice : cudaMemcpyDeviceToHost),
        to_device ? "cudaMemcpy to the device" : "cudaMemcpy to the host", device_index);
}

void cuda_copy_within(int device_index, void* dst, const void* src, size_t bytes) {
  select(device_index);
  check(cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToDevice), "cudaMemcpy within the device", device_index);
}

void cuda_copy_rows_to_host(int device_index, void* dst, size_t dst_pitch, const void* src, size_t src_pitch,
                            size_t width, size_t height) {
  select(device_index);
  check(cudaMemcpy2D(dst, dst_pitch, src, src_pitch, width, height, cudaMemcpyDeviceToHost),
        "cudaMemcpy2D to the host", device_index);
}

void cuda_zero(int device_index, void* ptr, size_t bytes) {
  select(device_index);
  check(cudaMemset(ptr, 0, bytes), "cudaMemset", device_index);
}

}  // namespace detail
}  // namespace genomamba::core
