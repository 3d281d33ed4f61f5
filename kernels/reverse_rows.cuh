#pragma once
// Row reversal with channel reversal or a column map on the GPU; the same contract as the CPU op
// (src/ops/reverse_rows_params.h), with every pointer in memory of params.ctx.device. Called by
// ops::reverse_rows.
#include "ops/reverse_rows_params.h"

namespace genomamba::ops::cuda {

/// Launches on params.ctx.stream (no synchronisation). in == out is the plain in-place reversal the dispatcher
/// admits (equal strides, no column_map, no accumulate, scale 1).
void reverse_rows_cuda(const ReverseRowsParams& params);

}  // namespace genomamba::ops::cuda
