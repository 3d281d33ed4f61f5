#pragma once
// The linear op (y = x W^T, PyTorch's nn.Linear without bias) on the GPU through cuBLAS, and the cuBLAS handle
// the engine's device context owns (ops/device_context.h). Same contract as the CPU op
// (src/ops/linear_params.h); every pointer is memory of params.ctx.device.
#include <cstddef>

#include "ops/linear_params.h"

namespace genomamba::ops::cuda {

/// One SGEMM (a strided-batched one for n_batch > 1) on params.ctx.stream with the handle in params.ctx.blas.
/// Plain fp32 arithmetic (cuBLAS's default math mode: no TF32), so the result agrees with the CPU's to fp32
/// rounding.
void linear_cuda(const LinearParams& params);

/// A cuBLAS handle on device `device_index`, bound to `stream` (null: the default stream), using
/// `workspace_bytes` of device memory at `workspace` as its workspace (so the memory plan counts it).
void* create_blas_handle(int device_index, void* stream, void* workspace, size_t workspace_bytes);
void destroy_blas_handle(void* handle) noexcept;

}  // namespace genomamba::ops::cuda
