#pragma once
// POD parameters of ops::linear. Shared with kernels/.
#include <cstdint>

#include "ops/exec_context.h"

namespace genomamba::ops {

/// y[t, o] (+)= sum_i x[t, i] * weight[o, i]   (PyTorch nn.Linear without bias)
struct LinearParams {
  int64_t n_rows = 0;        ///< T
  int64_t in_features = 0;   ///< I
  int64_t out_features = 0;  ///< O
  const float* x = nullptr;       ///< [T, I], row stride x_stride
  int64_t x_stride = 0;
  const float* weight = nullptr;  ///< [O, I], contiguous
  float* y = nullptr;             ///< [T, O], row stride y_stride
  int64_t y_stride = 0;
  bool accumulate = false;        ///< y += x W^T instead of y = x W^T
  /// B blocks of T rows (one per sequence), block b at x + b * x_batch_stride, y + b * y_batch_stride. A block's
  /// result does not depend on the other blocks (on the CPU, not even in the last bit).
  int64_t n_batch = 1;
  int64_t x_batch_stride = 0;
  int64_t y_batch_stride = 0;
  ExecContext ctx;                ///< where the op runs
};

}  // namespace genomamba::ops
