#pragma once
/// Where an op runs and what its activations are stored as. Carried by buffers (core/buffer.h) and by every
/// op call (ops/exec_context.h). C++17-clean: kernels/ includes it through the op parameter headers.
#include <cstddef>
#include <cstdint>
#include <string>

namespace genomamba::core {

enum class DeviceKind : uint8_t { CPU, CUDA };

/// The CPU, or one CUDA device by its index.
struct Device {
  DeviceKind kind = DeviceKind::CPU;
  int index = 0;  ///< the CUDA device index; 0 for the CPU

  static Device cpu() { return Device{}; }
  static Device cuda(int device_index = 0) { return Device{DeviceKind::CUDA, device_index}; }
  bool is_cpu() const { return kind == DeviceKind::CPU; }
  bool operator==(const Device& other) const { return kind == other.kind && index == other.index; }
  bool operator!=(const Device& other) const { return !(*this == other); }
  /// "cpu" or "cuda:<index>".
  std::string name() const;
};

/// "cpu", "cuda" (device 0) or "cuda:<index>". @throws UsageError naming the text otherwise.
Device parse_device(const std::string& text);

/// The element type of activations. Weights, scan states and accumulations stay fp32; bf16 activations are
/// reserved for the GPU.
enum class DType : uint8_t { F32, BF16 };

const char* dtype_name(DType dtype);  ///< "f32" or "bf16"
size_t dtype_size(DType dtype);       ///< bytes per element
/// "f32" or "bf16". @throws UsageError otherwise.
DType parse_dtype(const std::string& text);

/// Whether this build was compiled with CUDA (whether a GPU is visible is cuda_device_count()'s answer).
bool built_with_cuda();
/// Visible CUDA devices; 0 without a driver, a device or a CUDA build (never throws).
int cuda_device_count();

/// Free and total memory of a visible CUDA device, as the driver reports them now.
struct DeviceMemoryInfo {
  int64_t free_bytes = 0;
  int64_t total_bytes = 0;
};
/// @throws ConfigError when cuda:<index> is not visible or the build has no CUDA.
DeviceMemoryInfo cuda_memory_info(int device_index);
/// The device's product name ("NVIDIA H100 80GB HBM3"). @throws as cuda_memory_info.
std::string cuda_device_name(int device_index);

}  // namespace genomamba::core
