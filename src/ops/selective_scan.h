#pragma once
/// Mamba-1 selective scan (+ D skip + SiLU(z) gate), carried across tiles.
#include "ops/selective_scan_params.h"

namespace genomamba::ops {

/// Largest supported d_state N (Caduceus uses 16).
inline constexpr int64_t kMaxScanState = 64;

/// Checks the parameters and runs the op (CPU). @throws InternalError on inconsistent parameters.
void selective_scan(const SelectiveScanParams& params);

namespace cpu {
void selective_scan_cpu(const SelectiveScanParams& params);
}  // namespace cpu

}  // namespace genomamba::ops
