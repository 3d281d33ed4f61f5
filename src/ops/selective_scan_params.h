#pragma once
// POD parameters of ops::selective_scan. Shared with kernels/.
#include <cstdint>

#include "ops/exec_context.h"

namespace genomamba::ops {

/// Mamba-1 selective scan over one tile of T tokens in scan order, with the state carried in and out
/// (model-spec §1.3), fused with the D skip and the SiLU(z) gate:
///   delta[t, d] = softplus(delta_raw[t, d] + delta_bias[d])             (threshold 20)
///   s[d, n]     = exp(delta[t, d] * A[d, n]) * s[d, n] + delta[t, d] * B[t, n] * u[t, d]
///   y[t, d]     = (sum_n s[d, n] * C[t, n] + D[d] * u[t, d]) * silu(z[t, d])
/// and y is written (accumulate = false) or added (accumulate = true) to out[t, d].
/// Row strides may be negative: the reverse direction walks z and out backwards in memory without copies.
///
/// Chunk composition (performance.md §3): the scan is affine in its state, so a sequence split into chunks can
/// scan each chunk from zero and fix it up afterwards. `delta_sum` collects a chunk's summary (the state it
/// carries in decays by exp(A[d, n] * delta_sum[d]) over the chunk), and `state_only` runs the correction
/// pass: u and the D skip read as zero, so starting from an incoming state it adds exactly that state's
/// contribution, (sum_n s[d, n] * C[t, n]) * silu(z[t, d]), to out (with accumulate = true).
struct SelectiveScanParams {
  int64_t n_tokens = 0;  ///< T
  int64_t d_inner = 0;   ///< Di
  int64_t d_state = 0;   ///< N
  const float* u = nullptr;           ///< [T, Di] contiguous (post conv + SiLU)
  const float* delta_raw = nullptr;   ///< [T, Di] contiguous (dt_proj output, before bias)
  const float* delta_bias = nullptr;  ///< [Di]
  const float* A = nullptr;           ///< [Di, N]  (= -exp(A_log))
  const float* B = nullptr;           ///< [T, N], row stride bc_stride
  const float* C = nullptr;           ///< [T, N], row stride bc_stride
  int64_t bc_stride = 0;
  const float* D = nullptr;           ///< [Di]
  const float* z = nullptr;           ///< [T, Di], row stride z_stride (the gate half of in_proj)
  int64_t z_stride = 0;
  float* state = nullptr;             ///< [Di, N] in/out
  float* out = nullptr;               ///< [T, Di], row stride out_stride
  int64_t out_stride = 0;
  bool accumulate = false;
  float* delta_sum = nullptr;  ///< [Di] or null: sum over the tile's tokens of delta[t, d] is added to it
  bool state_only = false;     ///< the correction pass: u (may be null) and the D skip read as zero; B unused
  /// [Di, N] or null: A * log2(e), prepared once by the caller for the SIMD variants (else computed per call).
  const float* A_log2e = nullptr;
  /// B sequences, each with its own state: sequence b at u, delta_raw + b * u_batch_stride, B, C + b *
  /// bc_batch_stride, z + b * z_batch_stride, out + b * out_batch_stride, state + b * state_batch_stride,
  /// delta_sum + b * delta_sum_batch_stride.
  int64_t n_batch = 1;
  int64_t u_batch_stride = 0;
  int64_t bc_batch_stride = 0;
  int64_t z_batch_stride = 0;
  int64_t out_batch_stride = 0;
  int64_t state_batch_stride = 0;
  int64_t delta_sum_batch_stride = 0;
  ExecContext ctx;                ///< where the op runs
};

}  // namespace genomamba::ops
