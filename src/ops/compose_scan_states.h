#pragma once
/// Composes per-chunk scan summaries into the state entering each chunk (chunk composition, performance.md §3).
#include "ops/compose_scan_states_params.h"

namespace genomamba::ops {

/// Checks the parameters and runs the op (CPU). @throws InternalError on inconsistent parameters.
void compose_scan_states(const ComposeScanStatesParams& params);

namespace cpu {
void compose_scan_states_cpu(const ComposeScanStatesParams& params);
}  // namespace cpu

}  // namespace genomamba::ops
