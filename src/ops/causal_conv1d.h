#pragma once
/// Depthwise causal convolution + SiLU, carried across tiles.
#include "ops/causal_conv1d_params.h"

namespace genomamba::ops {

/// Largest supported conv width K (Caduceus uses 4).
inline constexpr int64_t kMaxConvWidth = 16;

/// Checks the parameters and runs the op on params.ctx.device.
/// @throws InternalError on inconsistent parameters, ConfigError for a device or dtype the op lacks.
void causal_conv1d(const CausalConv1dParams& params);

}  // namespace genomamba::ops
