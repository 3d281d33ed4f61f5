#pragma once
/// Mamba-1 selective scan (+ D skip + SiLU(z) gate), carried across tiles.
#include "ops/selective_scan_params.h"

namespace genomamba::ops {

/// Largest supported d_state N (Caduceus uses 16).
inline constexpr int64_t kMaxScanState = 64;

/// Checks the parameters and runs the op on params.ctx.device.
/// @throws InternalError on inconsistent parameters, ConfigError for a device or dtype the op lacks.
void selective_scan(const SelectiveScanParams& params);

}  // namespace genomamba::ops
