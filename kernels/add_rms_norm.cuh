#pragma once
// Fused residual add + RMSNorm on the GPU; the same contract as the CPU op (src/ops/add_rms_norm_params.h),
// with every pointer in memory of params.ctx.device. Called by ops::add_rms_norm.
#include "ops/add_rms_norm_params.h"

namespace genomamba::ops::cuda {

/// Launches on params.ctx.stream (no wait: the ops of one stream run in order, and a copy to the host waits
/// for them). Requires n_cols <= 8192.
void add_rms_norm_cuda(const AddRmsNormParams& params);

}  // namespace genomamba::ops::cuda
