// Embedding lookup on the CPU: one row copy per token, rows split over threads.
#include <algorithm>
#include <cstdint>

#include "core/error.h"
#include "ops/cpu/cpu_ops.h"
#include "ops/embedding_gather.h"

namespace genomamba::ops::cpu {

void embedding_gather_cpu(const EmbeddingGatherParams& p) {
  const int64_t L = p.n_tokens, D = p.n_cols, rows = p.n_batch * L;
  bool in_range = true;
#pragma omp parallel for schedule(static) reduction(&& : in_range)
  for (int64_t row = 0; row < rows; ++row) {
    const int64_t b = row / L, l = row % L;
    const int32_t* ids = p.ids + b * p.ids_batch_stride;
    int64_t id = p.reverse_complement ? ids[L - 1 - l] : ids[l];
    if (p.reverse_complement) id = id >= 0 && id < p.n_table_rows ? p.complement[id] : -1;
    if (id < 0 || id >= p.n_table_rows) {
      in_range = false;
      continue;
    }
    std::copy_n(p.table + id * D, D, p.out + row * D);
  }
  GM_CHECK(in_range, "embedding_gather: every id must be in 0..n_table_rows-1");
}

}  // namespace genomamba::ops::cpu
