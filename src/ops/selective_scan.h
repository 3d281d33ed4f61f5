#pragma once
/// Mamba-1 selective scan (+ D skip + SiLU(z) gate), carried across tiles.
#include "ops/selective_scan_params.h"

namespace genomamba::ops {

/// Largest supported d_state N (Caduceus uses 16).
inline constexpr int64_t kMaxScanState = 64;

/// Checks the parameters and runs the op on params.ctx.device.
/// @throws InternalError on inconsistent parameters, ConfigError for a device or dtype the op lacks.
void selective_scan(const SelectiveScanParams& params);

/// Bytes of ctx.workspace that a call of this shape needs on `device`: 0 on the CPU; on CUDA the chunk
/// summaries of the chunk-parallel scan (ops/scan_chunking.h).
int64_t selective_scan_workspace_bytes(core::Device device, int64_t n_batch, int64_t n_tokens, int64_t d_inner, int64_t d_state);

}  // namespace genomamba::ops
