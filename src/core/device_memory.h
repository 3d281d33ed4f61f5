#pragma once
/// The raw memory calls behind core::Buffer for each device kind. CPU memory is 64-byte aligned. The CUDA
/// calls are compiled only when CUDA is found (cuda_memory.cpp); otherwise (no_cuda_memory.cpp) they throw a
/// DeviceError saying the build has no CUDA. Callers use core::Buffer.
#include <cstddef>

#include "core/device.h"

namespace genomamba::core::detail {

/// Allocates `bytes` on `device` (nullptr for 0 bytes). @throws DeviceError naming the device and size.
void* device_alloc(Device device, size_t bytes);
/// Frees what device_alloc returned (nullptr is ignored). Never throws.
void device_free(Device device, void* ptr) noexcept;
/// Copies between host memory and memory of `device` (either may be the CPU).
void copy_to_device(Device device, void* dst, const void* src, size_t bytes);
void copy_to_host(Device device, void* dst, const void* src, size_t bytes);
/// Sets `bytes` bytes of device memory to zero.
void zero_device(Device device, void* ptr, size_t bytes);

/// The CUDA side of the calls above (cuda_memory.cpp, or no_cuda_memory.cpp in a build without CUDA).
void* cuda_alloc(int device_index, size_t bytes);
void cuda_free(int device_index, void* ptr) noexcept;
void cuda_copy(int device_index, void* dst, const void* src, size_t bytes, bool to_device);
void cuda_zero(int device_index, void* ptr, size_t bytes);
void cuda_copy_within(int device_index, void* dst, const void* src, size_t bytes);
/// `height` rows of `width` bytes from device memory (pitch src_pitch) to host memory (pitch dst_pitch).
void cuda_copy_rows_to_host(int device_index, void* dst, size_t dst_pitch, const void* src, size_t src_pitch,
                            size_t width, size_t height);

}  // namespace genomamba::core::detail
