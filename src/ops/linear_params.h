#pragma once
// POD parameters of ops::linear. No includes beyond <cstdint>: shared with kernels/.
#include <cstdint>

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
};

}  // namespace genomamba::ops
