// The conv token loop of causal_conv1d_kernel.h built for AVX-512F, 16 channels per vector: only this file is compiled
// with -mavx512f -mfma (src/ops/CMakeLists.txt), and causal_conv1d_cpu.cpp calls it only when
// simd_supported(SimdLevel::AVX512) (cpu_features.h).
#include "ops/cpu/causal_conv1d_kernel.h"

namespace genomamba::ops::cpu {

void conv_tokens_avx512(const CausalConv1dParams& p, const float* wt, const float* bias, int64_t t_begin,
                    int64_t t_end) {
  conv_tokens_any(p, wt, bias, t_begin, t_end);
}

}  // namespace genomamba::ops::cpu
