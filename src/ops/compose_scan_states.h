#pragma once
/// Composes per-chunk scan summaries into the state entering each chunk (chunk composition, performance.md §3).
#include "ops/compose_scan_states_params.h"

namespace genomamba::ops {

/// Checks the parameters and runs the op on params.ctx.device.
/// @throws InternalError on inconsistent parameters, ConfigError for a device or dtype the op lacks.
void compose_scan_states(const ComposeScanStatesParams& params);

}  // namespace genomamba::ops
