#pragma once
// POD parameters of ops::add_rms_norm. Shared with kernels/.
#include <cstdint>

#include "ops/exec_context.h"

namespace genomamba::ops {

/// Fused residual add + RMSNorm (mamba_ssm layer_norm_fn with prenorm=True, no bias):
///   residual[t] = x[t] + residual[t]            (skipped when x is null: residual stays)
///   out[t, c]   = residual[t, c] * rstd[t] * weight[c],   rstd = 1 / sqrt(mean_c residual[t]^2 + eps)
struct AddRmsNormParams {
  int64_t n_rows = 0;   ///< T
  int64_t n_cols = 0;   ///< D
  float eps = 1e-5f;
  const float* x = nullptr;         ///< [T, D] or null
  float* residual = nullptr;        ///< [T, D] in/out
  const float* weight = nullptr;    ///< [D]
  float* out = nullptr;             ///< [T, D]; may alias x, must not alias residual
  ExecContext ctx;                ///< where the op runs
};

}  // namespace genomamba::ops
