#pragma once
// POD parameters of ops::residual_add. Shared with kernels/.
#include <cstdint>

#include "ops/exec_context.h"

namespace genomamba::ops {

/// y[r, c] += x[r, c] over n_rows rows of n_cols values (the residual stream's sum; rows of B sequences are
/// one after another).
struct ResidualAddParams {
  int64_t n_rows = 0;  ///< B * L
  int64_t n_cols = 0;  ///< D
  const float* x = nullptr;  ///< [rows, D], contiguous
  float* y = nullptr;        ///< [rows, D], contiguous; must not alias x
  ExecContext ctx;           ///< where the op runs
};

}  // namespace genomamba::ops
