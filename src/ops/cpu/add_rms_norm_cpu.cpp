// Fused residual add + RMSNorm, one row per iteration; rows are split across OpenMP threads, and each
// row is reduced by one thread in a fixed order, so results do not depend on the thread count.
#include <cmath>

#include "ops/add_rms_norm.h"

namespace genomamba::ops::cpu {

void add_rms_norm_cpu(const AddRmsNormParams& p) {
  const int64_t n_cols = p.n_cols;
#pragma omp parallel for schedule(static)
  for (int64_t t = 0; t < p.n_rows; ++t) {
    float* res = p.residual + t * n_cols;  // res: [D]
    if (p.x != nullptr) {
      const float* x = p.x + t * n_cols;
      for (int64_t c = 0; c < n_cols; ++c) res[c] = x[c] + res[c];
    }
    // The sum of squares in double: cheap at these widths and closer to the float64 reference.
    double sum_sq = 0.0;
    for (int64_t c = 0; c < n_cols; ++c) sum_sq += static_cast<double>(res[c]) * res[c];
    const float rstd = static_cast<float>(1.0 / std::sqrt(sum_sq / static_cast<double>(n_cols) + p.eps));
    // out may alias x: x was fully consumed above.
    float* out = p.out + t * n_cols;
    for (int64_t c = 0; c < n_cols; ++c) out[c] = res[c] * rstd * p.weight[c];
  }
}

}  // namespace genomamba::ops::cpu
