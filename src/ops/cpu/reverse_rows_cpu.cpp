// Row reversal with channel reversal or a column map, on the CPU. In place, row l and its mirror row are
// swapped by the same iteration, so every pair is read before it is written.
#include <algorithm>
#include <cstdint>
#include <utility>

#include "ops/cpu/cpu_ops.h"
#include "ops/reverse_rows.h"

namespace genomamba::ops::cpu {
namespace {

void reverse_in_place(const ReverseRowsParams& p) {
  const int64_t L = p.n_rows, D = p.n_cols;
  // Rows reversed: row l pairs with L-1-l (the middle row of an odd L with itself); otherwise each row alone.
  const int64_t pairs = p.reverse ? (L + 1) / 2 : L;
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t b = 0; b < p.n_batch; ++b) {
    for (int64_t l = 0; l < pairs; ++l) {
      const int64_t mirror = p.reverse ? L - 1 - l : l;
      float* top = p.out + b * p.out_batch_stride + l * p.out_stride;
      float* bottom = p.out + b * p.out_batch_stride + mirror * p.out_stride;
      if (!p.reverse_cols) {
        if (mirror != l) std::swap_ranges(top, top + D, bottom);
      } else if (mirror == l) {
        std::reverse(top, top + D);
      } else {
        for (int64_t c = 0; c < D; ++c) std::swap(top[c], bottom[D - 1 - c]);
      }
    }
  }
}

}  // namespace

void reverse_rows_cpu(const ReverseRowsParams& p) {
  if (static_cast<const float*>(p.out) == p.in) {
    if (p.reverse || p.reverse_cols) reverse_in_place(p);
    return;
  }
  const int64_t L = p.n_rows, D = p.n_cols;
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t b = 0; b < p.n_batch; ++b) {
    for (int64_t l = 0; l < L; ++l) {
      const float* src = p.in + b * p.in_batch_stride + (p.reverse ? L - 1 - l : l) * p.in_stride;
      float* dst = p.out + b * p.out_batch_stride + l * p.out_stride;
      for (int64_t c = 0; c < D; ++c) {
        const int64_t from = p.reverse_cols ? D - 1 - c : p.column_map ? p.column_map[c] : c;
        const float value = p.scale * src[from];
        dst[c] = p.accumulate ? dst[c] + value : value;
      }
    }
  }
}

}  // namespace genomamba::ops::cpu
