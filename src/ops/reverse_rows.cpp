#include "ops/reverse_rows.h"

#include "core/error.h"
#include "ops/cpu/cpu_ops.h"
#include "ops/op_support.h"

#if GENOMAMBA_HAVE_CUDA
#include "reverse_rows.cuh"  // kernels/
#endif

namespace genomamba::ops {

void reverse_rows(const ReverseRowsParams& p) {
  GM_CHECK(p.n_batch >= 0 && p.n_rows >= 0 && p.n_cols > 0, "reverse_rows: n_batch, n_rows >= 0 and n_cols > 0");
  if (p.n_batch == 0 || p.n_rows == 0) return;
  GM_CHECK(p.in != nullptr && p.out != nullptr, "reverse_rows: in and out must be non-null");
  GM_CHECK(p.in_stride >= p.n_cols && p.out_stride >= p.n_cols, "reverse_rows: row strides must be >= n_cols");
  GM_CHECK(p.n_batch == 1 || (p.in_batch_stride >= p.n_rows * p.in_stride &&
                              p.out_batch_stride >= p.n_rows * p.out_stride),
           "reverse_rows: batch strides must cover a sequence's rows");
  GM_CHECK(!(p.reverse_cols && p.column_map), "reverse_rows: reverse_cols and column_map exclude each other");
  const bool in_place = static_cast<const float*>(p.out) == p.in;
  GM_CHECK(!in_place || (p.in_stride == p.out_stride && p.in_batch_stride == p.out_batch_stride && !p.column_map &&
                         !p.accumulate && p.scale == 1.0f),
           "reverse_rows: in place only as a plain reversal with equal strides");
  detail::require_dtype("reverse_rows", p.ctx, {core::DType::F32});
  detail::run_on_device("reverse_rows", p, cpu::reverse_rows_cpu, GM_CUDA_KERNEL(cuda::reverse_rows_cuda));
}

}  // namespace genomamba::ops
