#pragma once
/// Row reversal, with channel reversal or a column map: the reverse-complement layouts of the model and of the
/// strand policy.
#include "ops/reverse_rows_params.h"

namespace genomamba::ops {

/// Checks the parameters and runs the op on params.ctx.device.
/// @throws InternalError on inconsistent parameters, ConfigError for a device or dtype the op lacks.
void reverse_rows(const ReverseRowsParams& params);

}  // namespace genomamba::ops
