#pragma once
// Fused residual add + RMSNorm on the GPU; the same contract as ops::cpu::add_rms_norm_cpu
// (src/ops/add_rms_norm_params.h), with every pointer in device memory.
#include "ops/add_rms_norm_params.h"

namespace genomamba::ops::cuda {

/// Launches on the default stream. Requires n_cols <= 8192.
void add_rms_norm_cuda(const AddRmsNormParams& params);

}  // namespace genomamba::ops::cuda
