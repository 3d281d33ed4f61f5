// y (+)= x W^T on OpenBLAS. BLAS partitions the output, never the reduction, so each y element is
// computed by one thread in a fixed order whatever the thread count.
#include <cblas.h>

#include <algorithm>
#include <cstdint>

#include "ops/linear.h"

namespace genomamba::ops::cpu {

void linear_cpu(const LinearParams& p) {
  // blasint is 32-bit: feed long inputs in row chunks (rows are independent).
  constexpr int64_t kMaxRows = int64_t{1} << 30;
  for (int64_t r0 = 0; r0 < p.n_rows; r0 += kMaxRows) {
    const int64_t rows = std::min(kMaxRows, p.n_rows - r0);
    // x: [rows, I] (lda x_stride), W: [O, I] used transposed, y: [rows, O] (ldc y_stride)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(rows),
                static_cast<blasint>(p.out_features), static_cast<blasint>(p.in_features), 1.0f,
                p.x + r0 * p.x_stride, static_cast<blasint>(p.x_stride), p.weight,
                static_cast<blasint>(p.in_features), p.accumulate ? 1.0f : 0.0f, p.y + r0 * p.y_stride,
                static_cast<blasint>(p.y_stride));
  }
}

}  // namespace genomamba::ops::cpu
