#pragma once
/// The instruction-set variants of the CPU causal conv1d, for tests and benchmarks. ops::causal_conv1d
/// runs the level of active_simd_level() (cpu_features.h: the best one, or GENOMAMBA_SIMD).
#include "ops/causal_conv1d_params.h"
#include "ops/cpu/cpu_features.h"

namespace genomamba::ops::cpu {

/// causal_conv1d_cpu with a chosen level. @throws InternalError if !simd_supported(level).
void causal_conv1d_cpu(const CausalConv1dParams& params, SimdLevel level);

}  // namespace genomamba::ops::cpu
