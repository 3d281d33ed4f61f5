#pragma once
/// Where and how one op call runs; every op's parameters carry one (`ctx`). ops/<op>.cpp dispatches on
/// ctx.device and refuses a device or dtype the build or the op lacks (ops/op_support.h). C++17-clean: shared
/// with kernels/.
#include <cstddef>

#include "core/device.h"

namespace genomamba::ops {

struct ExecContext {
  core::Device device;                   ///< every pointer of the call is memory of this device
  core::DType dtype = core::DType::F32;  ///< the activations' element type (weights and states stay f32)
  void* stream = nullptr;                ///< cudaStream_t on CUDA (null: the default stream); unused on the CPU
  void* blas = nullptr;                  ///< cublasHandle_t on CUDA; unused on the CPU
  void* workspace = nullptr;             ///< scratch the op may use, on `device`
  size_t workspace_bytes = 0;
};

}  // namespace genomamba::ops
