// y (+)= x W^T on OpenBLAS, threaded by OpenMP instead of by OpenBLAS.
// Why: OpenBLAS's pthread pool and libgomp's pool are two sets of threads on the same cores. After each
// sgemm OpenBLAS's workers keep spinning (sched_yield) for more work while the OpenMP threads run the
// conv and the scan, and the two pools fight for the cores (~25% of a PH forward profile on 2 cores).
// So OpenBLAS always runs single-threaded (core::set_num_threads sets it, and so does the first call
// here for callers that never did), and this file splits the output rows into blocks that the OpenMP
// threads share, one single-threaded sgemm per block.
// Measured on 2 cores (PH 256x16, 16,384 tokens, the build otherwise the same): 4.3k tok/s with
// OpenBLAS's threads, 7.8-8.7k with this.
// The row split alone beats OpenBLAS's own threading on every shape we use (sgemm in isolation, GFLOP/s,
// OpenBLAS threads -> row split: in_proj 200 -> 213, out_proj 178-190 -> 197-203, x_proj 188 -> 212,
// dt_proj 160 -> 184), most on the small per-tile products. x_proj (N = 48) and dt_proj (K = 16) stay on
// sgemm: a register-blocked AVX-512 loop was only 4-13% faster, not worth another dispatched kernel.
// Thread-count invariance: the blocks depend only on the number of rows, never on the thread count, and
// each block is one sgemm over the whole reduction dimension (it is never split across calls or
// threads; inside a call OpenBLAS blocks it by K alone), so every y element is computed by the same
// sgemm call in the same order whatever the thread count: 1, 2, ... threads give bit-identical results.
#include <cblas.h>

#include <algorithm>
#include <cstdint>

#include "ops/cpu/cpu_ops.h"
#include "ops/linear.h"

namespace genomamba::ops::cpu {
namespace {

// Rows per sgemm call: about an eighth of the rows (enough blocks to balance a few threads), rounded up to
// a multiple of 64 and kept in [64, 512]. Measured on 2 cores (OpenBLAS 0.3.21 Haswell kernels, 2026-11):
// blocks of 256 to 1024 rows all reach 205-215 GFLOP/s on in_proj/out_proj and 185-210 on x_proj/dt_proj;
// 64-row blocks lose 8-15% to re-packing the weights per call. Depends on the row count only.
int64_t block_rows(int64_t n_rows) {
  constexpr int64_t kAlign = 64, kMin = 64, kMax = 512;
  const int64_t eighth = (n_rows + 7) / 8;
  return std::clamp((eighth + kAlign - 1) / kAlign * kAlign, kMin, kMax);
}

void sgemm_rows(const LinearParams& p, int64_t r0, int64_t rows) {
  // x: [rows, I] (lda x_stride), W: [O, I] used transposed, y: [rows, O] (ldc y_stride)
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(rows),
              static_cast<blasint>(p.out_features), static_cast<blasint>(p.in_features), 1.0f,
              p.x + r0 * p.x_stride, static_cast<blasint>(p.x_stride), p.weight, static_cast<blasint>(p.in_features),
              p.accumulate ? 1.0f : 0.0f, p.y + r0 * p.y_stride, static_cast<blasint>(p.y_stride));
}

/// One block of rows, split into row blocks over the threads.
void linear_rows(const LinearParams& p) {
  const int64_t rows_per_block = block_rows(p.n_rows);
  const int64_t n_blocks = (p.n_rows + rows_per_block - 1) / rows_per_block;
#pragma omp parallel for schedule(static) if (n_blocks > 1)
  for (int64_t b = 0; b < n_blocks; ++b) {
    const int64_t r0 = b * rows_per_block;
    sgemm_rows(p, r0, std::min(rows_per_block, p.n_rows - r0));
  }
}

}  // namespace

void linear_cpu(const LinearParams& params) {
  static const bool blas_single_threaded = [] {
    openblas_set_num_threads(1);
    return true;
  }();
  (void)blas_single_threaded;
  // One block of rows after the other, never folded into one GEMM: a sequence's rows then go through the same
  // sgemm calls whatever batch it runs in, so its result does not depend on the batch to the last bit (shards,
  // resumed jobs and batch sizes give identical outputs).
  LinearParams p = params;
  p.n_batch = 1;
  for (int64_t item = 0; item < params.n_batch; ++item) {
    p.x = params.x + item * params.x_batch_stride;
    p.y = params.y + item * params.y_batch_stride;
    linear_rows(p);
  }
}

}  // namespace genomamba::ops::cpu
