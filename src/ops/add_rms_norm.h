#pragma once
/// Fused residual add + RMSNorm.
#include "ops/add_rms_norm_params.h"

namespace genomamba::ops {

/// Checks the parameters and runs the op on params.ctx.device.
/// @throws InternalError on inconsistent parameters, ConfigError for a device or dtype the op lacks.
void add_rms_norm(const AddRmsNormParams& params);

}  // namespace genomamba::ops
