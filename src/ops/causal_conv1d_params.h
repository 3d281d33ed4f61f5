#pragma once
// POD parameters of ops::causal_conv1d. Shared with kernels/.
#include <cstdint>

#include "ops/exec_context.h"

namespace genomamba::ops {

/// Depthwise causal conv1d + SiLU over one tile of T tokens, in scan order:
///   c[t, d] = bias[d] + sum_{k<K} weight[d, k] * x[t - (K-1) + k, d],   out[t, d] = c * sigmoid(c)
/// where x[t'] for t' < 0 is read from `history` (the K-1 inputs preceding the tile, oldest first; all zero
/// before the first tile). On return, history holds the last K-1 inputs seen (for the next tile).
/// x_stride may be negative, so the reverse direction reads x backwards in memory without a copy.
struct CausalConv1dParams {
  int64_t n_tokens = 0;   ///< T
  int64_t channels = 0;   ///< Di
  int64_t width = 0;      ///< K (d_conv)
  const float* x = nullptr;       ///< [T, Di], row stride x_stride
  int64_t x_stride = 0;
  const float* weight = nullptr;  ///< [Di, K]
  const float* bias = nullptr;    ///< [Di] or null
  float* history = nullptr;       ///< [K-1, Di] in/out
  float* out = nullptr;           ///< [T, Di], contiguous; must not alias x
  /// [K, Di] or null: the weights by tap, prepared once by the caller (otherwise transposed on every call).
  const float* weight_by_tap = nullptr;
  /// B sequences: sequence b at x + b * x_batch_stride, out + b * out_batch_stride, with its own history at
  /// history + b * history_batch_stride.
  int64_t n_batch = 1;
  int64_t x_batch_stride = 0;
  int64_t out_batch_stride = 0;
  int64_t history_batch_stride = 0;
  ExecContext ctx;                ///< where the op runs
};

}  // namespace genomamba::ops
