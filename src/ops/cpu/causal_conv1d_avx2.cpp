// The conv token loop of causal_conv1d_kernel.h built for AVX2 + FMA, 8 channels per vector: only this file is compiled
// with -mavx2 -mfma (src/ops/CMakeLists.txt), and causal_conv1d_cpu.cpp calls it only when
// simd_supported(SimdLevel::AVX2) (cpu_features.h).
#include "ops/cpu/causal_conv1d_kernel.h"

namespace genomamba::ops::cpu {

void conv_tokens_avx2(const CausalConv1dParams& p, const float* wt, const float* bias, int64_t t_begin,
                    int64_t t_end) {
  conv_tokens_any(p, wt, bias, t_begin, t_end);
}

}  // namespace genomamba::ops::cpu
