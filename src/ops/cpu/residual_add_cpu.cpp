// y += x on the CPU, split over threads.
#include <cstdint>

#include "ops/cpu/cpu_ops.h"
#include "ops/residual_add.h"

namespace genomamba::ops::cpu {

void residual_add_cpu(const ResidualAddParams& p) {
  const int64_t n = p.n_rows * p.n_cols;
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) p.y[i] += p.x[i];
}

}  // namespace genomamba::ops::cpu
