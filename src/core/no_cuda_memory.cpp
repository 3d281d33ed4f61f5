// core::Buffer's CUDA calls in a build without CUDA: asking for CUDA memory is a clear error.
#include <string>

#include "core/device_memory.h"
#include "core/error.h"

namespace genomamba::core {
namespace {

[[noreturn]] void no_cuda(int device_index) {
  throw ConfigError("device cuda:" + std::to_string(device_index) +
                    " cannot be used: this genomamba was built without CUDA (rebuild where nvcc is found)");
}

}  // namespace

bool built_with_cuda() { return false; }

int cuda_device_count() { return 0; }

DeviceMemoryInfo cuda_memory_info(int device_index) { no_cuda(device_index); }
std::string cuda_device_name(int device_index) { no_cuda(device_index); }

namespace detail {

void* cuda_alloc(int device_index, size_t) { no_cuda(device_index); }
void cuda_free(int, void*) noexcept {}
void cuda_copy(int device_index, void*, const void*, size_t, bool) { no_cuda(device_index); }
void cuda_zero(int device_index, void*, size_t) { no_cuda(device_index); }
void cuda_copy_within(int device_index, void*, const void*, size_t) { no_cuda(device_index); }
void cuda_copy_rows_to_host(int device_index, void*, size_t, const void*, size_t, size_t, size_t) {
  no_cuda(device_index);
}

}  // namespace detail
}  // namespace genomamba::core
