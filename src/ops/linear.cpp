#include "ops/linear.h"

#include "core/error.h"
#include "ops/cpu/cpu_ops.h"
#include "ops/op_support.h"

#if GENOMAMBA_HAVE_CUDA
#include "linear.cuh"  // kernels/
#endif

namespace genomamba::ops {

void linear(const LinearParams& p) {
  GM_CHECK(p.n_rows >= 0 && p.n_batch >= 0, "linear: n_rows and n_batch must be >= 0");
  GM_CHECK(p.in_features > 0 && p.out_features > 0, "linear: in_features and out_features must be > 0");
  if (p.n_rows == 0 || p.n_batch == 0) return;
  GM_CHECK(p.n_batch == 1 || (p.x_batch_stride >= p.n_rows * p.x_stride && p.y_batch_stride >= p.n_rows * p.y_stride),
           "linear: batch strides must cover a block's rows");
  GM_CHECK(p.x != nullptr && p.weight != nullptr && p.y != nullptr, "linear: x, weight and y must be non-null");
  GM_CHECK(p.x_stride >= p.in_features, "linear: x_stride must be >= in_features (x: [T, I])");
  GM_CHECK(p.y_stride >= p.out_features, "linear: y_stride must be >= out_features (y: [T, O])");
  detail::require_dtype("linear", p.ctx, {core::DType::F32});
  detail::run_on_device("linear", p, cpu::linear_cpu, GM_CUDA_KERNEL(cuda::linear_cuda));
}

}  // namespace genomamba::ops
