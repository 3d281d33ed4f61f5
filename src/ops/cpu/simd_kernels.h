#pragma once
/// Entry points of the instruction-set variants of the CPU kernels (see cpu_features.h). Callers outside
/// src/ops/cpu use ops::selective_scan(); these exist for the dispatcher, tests and benchmarks.
#include <cstdint>

#include "ops/cpu/cpu_features.h"
#include "ops/selective_scan_params.h"

namespace genomamba::ops::cpu {

/// Runs the selective scan with one variant. @throws InternalError if !simd_supported(level).
void selective_scan_cpu(const SelectiveScanParams& params, SimdLevel level);

/// The variants. Each needs simd_supported() of its level; the portable one runs anywhere.
void selective_scan_portable(const SelectiveScanParams& params);
void selective_scan_avx2(const SelectiveScanParams& params);
void selective_scan_avx512(const SelectiveScanParams& params);

/// The vector math of the variants, applied to arrays (for tests): y[i] = f(x[i]), i < n.
enum class SimdMathFn {
  EXP,       ///< e^x, gradual underflow, +inf above ~88.72
  EXP2_SCAN, ///< 2^x as the scan uses it: results below 2^-126 are flushed to 0, +inf from 128 up
  SOFTPLUS,  ///< x > 20 ? x : log1p(e^x)
  SILU,      ///< x / (1 + e^-x)
};
void simd_math_avx2(SimdMathFn fn, const float* x, float* y, int64_t n);
void simd_math_avx512(SimdMathFn fn, const float* x, float* y, int64_t n);

}  // namespace genomamba::ops::cpu
