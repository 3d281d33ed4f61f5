#pragma once
/// Dense projection without bias, on the BLAS (sgemm).
#include "ops/linear_params.h"

namespace genomamba::ops {

/// Checks the parameters and computes y (+)= x W^T on params.ctx.device.
/// @throws InternalError on inconsistent parameters, ConfigError for a device or dtype the op lacks.
void linear(const LinearParams& params);

}  // namespace genomamba::ops
