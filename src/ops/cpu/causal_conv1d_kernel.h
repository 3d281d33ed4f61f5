#pragma once
// The token loop of the CPU causal conv1d + SiLU, written as plain loops across channels that the
// compiler vectorises (#pragma omp simd). It is included by one .cpp per instruction set, each compiled
// with its own flags (causal_conv1d_cpu.cpp: the baseline; causal_conv1d_avx2.cpp: -mavx2 -mfma;
// causal_conv1d_avx512.cpp: -mavx512f -mfma), so everything here has internal linkage and calls no
// library function: an out-of-line copy of a shared inline function built with AVX-512 could otherwise be
// linked into the baseline path.
#include <cstdint>

#include "ops/causal_conv1d.h"

namespace genomamba::ops::cpu {

/// The token loop of each instruction-set build: tokens [t_begin, t_end) of one tile (see conv_tokens).
using ConvTokensFn = void (*)(const CausalConv1dParams& p, const float* wt, const float* bias, int64_t t_begin,
                              int64_t t_end);
void conv_tokens_portable(const CausalConv1dParams& p, const float* wt, const float* bias, int64_t t_begin,
                          int64_t t_end);
void conv_tokens_avx2(const CausalConv1dParams& p, const float* wt, const float* bias, int64_t t_begin,
                      int64_t t_end);
void conv_tokens_avx512(const CausalConv1dParams& p, const float* wt, const float* bias, int64_t t_begin,
                        int64_t t_end);

namespace {

/// e^-a for a in [0, 87]: Cephes' expf (range reduction by ln 2 in two parts, degree-5 polynomial,
/// 2^n through the exponent bits), within 2 ulp. The result is at least e^-87 = 1.6e-38, a normal float.
inline float conv_exp_neg(float a) {
  const float x = -a;
  // Round x / ln 2 to the nearest integer with the 1.5 * 2^23 trick (no rounding instruction at the
  // baseline ISA); x / ln 2 is in [-125.6, 0], far inside the trick's range, so n is in [-126, 0].
  const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  const float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float e_r = p * r * r + r + 1.0f;
  const auto bits = static_cast<uint32_t>(static_cast<int32_t>(n) + 127) << 23;
  return e_r * __builtin_bit_cast(float, bits);
}

/// SiLU(c) = c * sigmoid(c), as c / (1 + e) for c >= 0 and c e / (1 + e) for c < 0, with e = e^-|c|.
/// |c| is capped at 87 (e^-87 is far below fp32 resolution next to 1) by an integer min of the bit
/// patterns, which order like the values for non-negative floats. It has no float compare against a
/// constant on purpose: GCC otherwise duplicates the code for the capped case, constant-folds e, and
/// evaluates both versions in every vector lane, where c / (1 + e^87) is a denormal that costs a
/// microcode assist per instruction (measured: 8x slower). Nothing here produces a denormal unless c is
/// one. NaN stays NaN; +-inf give +-inf.
inline float conv_silu(float c) {
  constexpr int32_t kCapBits = 0x42ae0000;  // bits of 87.0f
  const int32_t abs_bits = __builtin_bit_cast(int32_t, c) & 0x7fffffff;
  const float a = __builtin_bit_cast(float, abs_bits < kCapBits ? abs_bits : kCapBits);
  const float e = conv_exp_neg(a);
  return (c >= 0.0f ? c : c * e) / (1.0f + e);
}

/// Tokens [t_begin, t_end) of one tile. wt: [K, Di], the weights transposed so that each tap is a
/// contiguous row across channels; bias: [Di] (zeros when the op has none). Input rows before the tile
/// come from p.history. Each output is bias + w_0 x_0 + ... + w_{K-1} x_{K-1} summed in that order,
/// then SiLU; every output is independent of the others.
template <int64_t kWidth>  // kWidth = p.width, or 0 for any width read at run time
void conv_tokens(const CausalConv1dParams& p, const float* wt, const float* bias, int64_t t_begin, int64_t t_end) {
  const int64_t Di = p.channels;
  const int64_t K = kWidth > 0 ? kWidth : p.width;
  const float* rows[kMaxConvWidth];  // rows[k]: the input of tap k (oldest first): [Di]
  for (int64_t t = t_begin; t < t_end; ++t) {
    for (int64_t k = 0; k < K; ++k) {
      const int64_t s = t - (K - 1) + k;  // token index of tap k; negative: from the history
      rows[k] = s >= 0 ? p.x + s * p.x_stride : p.history + (s + K - 1) * Di;
    }
    float* __restrict out = p.out + t * Di;  // out: [Di] of token t
    if constexpr (kWidth == 4) {
      const float* __restrict x0 = rows[0];
      const float* __restrict x1 = rows[1];
      const float* __restrict x2 = rows[2];
      const float* __restrict x3 = rows[3];
      const float* __restrict w0 = wt;
      const float* __restrict w1 = wt + Di;
      const float* __restrict w2 = wt + 2 * Di;
      const float* __restrict w3 = wt + 3 * Di;
#pragma omp simd
      for (int64_t d = 0; d < Di; ++d) {
        const float c = bias[d] + w0[d] * x0[d] + w1[d] * x1[d] + w2[d] * x2[d] + w3[d] * x3[d];
        out[d] = conv_silu(c);
      }
    } else {
#pragma omp simd
      for (int64_t d = 0; d < Di; ++d) out[d] = bias[d];
      for (int64_t k = 0; k < K; ++k) {
        const float* __restrict xk = rows[k];
        const float* __restrict wk = wt + k * Di;
#pragma omp simd
        for (int64_t d = 0; d < Di; ++d) out[d] += wk[d] * xk[d];
      }
#pragma omp simd
      for (int64_t d = 0; d < Di; ++d) out[d] = conv_silu(out[d]);
    }
  }
}

/// Dispatches on the width: the Caduceus width 4 gets an unrolled loop.
inline void conv_tokens_any(const CausalConv1dParams& p, const float* wt, const float* bias, int64_t t_begin,
                            int64_t t_end) {
  if (p.width == 4)
    conv_tokens<4>(p, wt, bias, t_begin, t_end);
  else
    conv_tokens<0>(p, wt, bias, t_begin, t_end);
}

}  // namespace
}  // namespace genomamba::ops::cpu
