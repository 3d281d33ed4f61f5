// Fused residual add + RMSNorm, one row per iteration; rows are split across OpenMP threads, and each
// row is reduced by one thread in a fixed order, so results do not depend on the thread count.
#include <cmath>

#include "ops/cpu/cpu_ops.h"
#include "ops/add_rms_norm.h"

namespace genomamba::ops::cpu {
namespace {

// Partial sums of the sum of squares. One running sum is a chain of dependent adds (4 cycles each) that
// the compiler may not reorder; kParts independent sums, combined in a fixed order, vectorise.
constexpr int64_t kParts = 8;

/// sum_c v[c]^2 in double: partial sums over columns c = j (mod kParts), then the tail, in a fixed order.
double sum_squares(const float* v, int64_t n) {
  double part[kParts] = {};
  int64_t c = 0;
  for (; c + kParts <= n; c += kParts)
    for (int64_t j = 0; j < kParts; ++j) part[j] += static_cast<double>(v[c + j]) * v[c + j];
  for (; c < n; ++c) part[0] += static_cast<double>(v[c]) * v[c];
  return ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
}

}  // namespace

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
    const double sum_sq = sum_squares(res, n_cols);
    const float rstd = static_cast<float>(1.0 / std::sqrt(sum_sq / static_cast<double>(n_cols) + p.eps));
    // out may alias x: x was fully consumed above.
    float* out = p.out + t * n_cols;
    for (int64_t c = 0; c < n_cols; ++c) out[c] = res[c] * rstd * p.weight[c];
  }
}

}  // namespace genomamba::ops::cpu
