#pragma once
/// The residual stream's sum: y += x.
#include "ops/residual_add_params.h"

namespace genomamba::ops {

/// Checks the parameters and runs the op on params.ctx.device.
/// @throws InternalError on inconsistent parameters, ConfigError for a device or dtype the op lacks.
void residual_add(const ResidualAddParams& params);

}  // namespace genomamba::ops
