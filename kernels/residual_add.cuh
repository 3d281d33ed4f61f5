#pragma once
// The residual stream's sum y += x on the GPU; the same contract as the CPU op (src/ops/residual_add_params.h),
// with every pointer in memory of params.ctx.device. Called by ops::residual_add.
#include "ops/residual_add_params.h"

namespace genomamba::ops::cuda {

/// Launches on params.ctx.stream (no synchronisation).
void residual_add_cuda(const ResidualAddParams& params);

}  // namespace genomamba::ops::cuda
