#pragma once
// The chunk composition of the chunked selective scan on the GPU; the same contract as the CPU op
// (src/ops/compose_scan_states_params.h), with every pointer in memory of params.ctx.device. Called by
// ops::compose_scan_states.
#include "ops/compose_scan_states_params.h"

namespace genomamba::ops::cuda {

/// Launches on params.ctx.stream (no synchronisation).
void compose_scan_states_cuda(const ComposeScanStatesParams& params);

}  // namespace genomamba::ops::cuda
