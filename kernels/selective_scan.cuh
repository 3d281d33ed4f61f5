#pragma once
// The Mamba-1 selective scan on the GPU, parallel over (channel, chunk of kScanChunkTokens tokens); the same
// contract as the CPU op (src/ops/selective_scan_params.h), with every pointer in memory of params.ctx.device.
// Called by ops::selective_scan.
#include "ops/selective_scan_params.h"

namespace genomamba::ops::cuda {

/// Launches three kernels on params.ctx.stream and returns without waiting: (1) every chunk scanned on its
/// own (chunk 0 from params.state, the others from zero), writing its end state and ΣΔ to the workspace;
/// (2) the summaries composed in chunk order into the state entering each chunk, the final state and
/// delta_sum; (3) the chunks after the first corrected with their incoming state.
/// Requires params.ctx.workspace to hold scan_workspace_floats() floats (ops/scan_chunking.h); the caller
/// (the dispatcher) checks it. out must not overlap the inputs: the correction pass re-reads delta_raw, C and
/// z after the chunk scan has written out.
void selective_scan_cuda(const SelectiveScanParams& params);

}  // namespace genomamba::ops::cuda
