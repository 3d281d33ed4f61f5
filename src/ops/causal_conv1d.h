#pragma once
/// Depthwise causal convolution + SiLU, carried across tiles.
#include "ops/causal_conv1d_params.h"

namespace genomamba::ops {

void causal_conv1d(const CausalConv1dParams& params);

namespace cpu {
void causal_conv1d_cpu(const CausalConv1dParams& params);
}  // namespace cpu

}  // namespace genomamba::ops
