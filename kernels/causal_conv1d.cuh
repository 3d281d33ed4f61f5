#pragma once
// Depthwise causal conv1d + SiLU on the GPU, carried across tiles by `history`; the same contract as the CPU op
// (src/ops/causal_conv1d_params.h), with every pointer in memory of params.ctx.device. Called by
// ops::causal_conv1d.
#include "ops/causal_conv1d_params.h"

namespace genomamba::ops::cuda {

/// Launches on params.ctx.stream (no synchronisation): the conv, then (width > 1) the history update.
void causal_conv1d_cuda(const CausalConv1dParams& params);

}  // namespace genomamba::ops::cuda
