// Depthwise causal conv1d + SiLU on the CPU. The token loop (causal_conv1d_kernel.h) runs across
// channels in vectors; it is built once per instruction set (this file: the baseline ISA;
// causal_conv1d_avx2.cpp, causal_conv1d_avx512.cpp) and run at the level of active_simd_level()
// (cpu_features.h: the best one this CPU supports, or GENOMAMBA_SIMD), as the selective scan is.
// OpenMP splits the tokens of a tile into one contiguous range per thread. Every output is computed
// from the inputs alone (never from another output) by one thread in a fixed order, so the results do
// not depend on the thread count; the variants differ only by FMA contraction (a few ulp).
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/error.h"
#include "ops/cpu/cpu_ops.h"
#include "ops/causal_conv1d.h"
#include "ops/cpu/causal_conv1d_kernel.h"
#include "ops/cpu/causal_conv1d_variants.h"

namespace genomamba::ops::cpu {

void conv_tokens_portable(const CausalConv1dParams& p, const float* wt, const float* bias, int64_t t_begin,
                          int64_t t_end) {
  conv_tokens_any(p, wt, bias, t_begin, t_end);
}

namespace {

// Below this many outputs a tile is not worth waking a second thread for.
constexpr int64_t kMinParallelOutputs = 16384;

ConvTokensFn level_fn(SimdLevel level) {
  switch (level) {
#if defined(GM_SIMD_X86)
    case SimdLevel::AVX512:
      return conv_tokens_avx512;
    case SimdLevel::AVX2:
      return conv_tokens_avx2;
#endif
    default:
      return conv_tokens_portable;
  }
}

/// history: [K-1, Di] <- the last K-1 inputs of (history, x), oldest first. Tap k of the new history is
/// token T-(K-1)+k; when that token precedes the tile it sits in the old history at a row >= k, so
/// copying rows in increasing k never overwrites a row still to be read.
void update_history(const CausalConv1dParams& p) {
  const int64_t K = p.width, Di = p.channels;
  for (int64_t k = 0; k + 1 < K; ++k) {
    const int64_t s = p.n_tokens - (K - 1) + k;
    const float* src = s >= 0 ? p.x + s * p.x_stride : p.history + (s + K - 1) * Di;
    float* dst = p.history + k * Di;
    if (src != dst) std::memmove(dst, src, static_cast<size_t>(Di) * sizeof(float));
  }
}

/// One sequence, with the weights by tap (wt: [K, Di]) and the bias (never null).
void run_one(const CausalConv1dParams& p, ConvTokensFn fn, const float* wt, const float* bias) {
  const int64_t Di = p.channels, T = p.n_tokens;
#pragma omp parallel if (T * Di >= kMinParallelOutputs)
  {
    const int64_t n = omp_get_num_threads(), i = omp_get_thread_num();
    const int64_t chunk = (T + n - 1) / n;
    const int64_t t_begin = std::min(T, i * chunk), t_end = std::min(T, t_begin + chunk);
    if (t_begin < t_end) fn(p, wt, bias, t_begin, t_end);
  }
  update_history(p);  // after the region: the token loop reads the old history
}

void run(const CausalConv1dParams& params, ConvTokensFn fn) {
  const int64_t K = params.width, Di = params.channels;
  std::vector<float> transposed;
  const float* wt = params.weight_by_tap;  // wt: [K, Di], the weights by tap
  if (wt == nullptr) {
    transposed.resize(static_cast<size_t>(K * Di));
    for (int64_t d = 0; d < Di; ++d)
      for (int64_t k = 0; k < K; ++k) transposed[k * Di + d] = params.weight[d * K + k];
    wt = transposed.data();
  }
  std::vector<float> bias(static_cast<size_t>(Di), 0.0f);  // bias: [Di]
  if (params.bias != nullptr) std::copy_n(params.bias, Di, bias.begin());
  CausalConv1dParams p = params;
  p.n_batch = 1;
  for (int64_t item = 0; item < params.n_batch; ++item) {
    p.x = params.x + item * params.x_batch_stride;
    p.out = params.out + item * params.out_batch_stride;
    p.history = params.history ? params.history + item * params.history_batch_stride : nullptr;
    run_one(p, fn, wt, bias.data());
  }
}

}  // namespace

void causal_conv1d_cpu(const CausalConv1dParams& params, SimdLevel level) {
  GM_CHECK(simd_supported(level), "causal_conv1d_cpu: this build or CPU cannot run that SIMD level");
  run(params, level_fn(level));
}

void causal_conv1d_cpu(const CausalConv1dParams& params) { run(params, level_fn(active_simd_level())); }

}  // namespace genomamba::ops::cpu
