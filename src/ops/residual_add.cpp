#include "ops/residual_add.h"

#include "core/error.h"
#include "ops/cpu/cpu_ops.h"
#include "ops/op_support.h"

#if GENOMAMBA_HAVE_CUDA
#include "residual_add.cuh"  // kernels/
#endif

namespace genomamba::ops {

void residual_add(const ResidualAddParams& p) {
  GM_CHECK(p.n_rows >= 0 && p.n_cols > 0, "residual_add: n_rows must be >= 0 and n_cols > 0");
  if (p.n_rows == 0) return;
  GM_CHECK(p.x != nullptr && p.y != nullptr, "residual_add: x and y must be non-null");
  GM_CHECK(static_cast<const float*>(p.y) != p.x, "residual_add: y must not alias x");
  detail::require_dtype("residual_add", p.ctx, {core::DType::F32});
  detail::run_on_device("residual_add", p, cpu::residual_add_cpu, GM_CUDA_KERNEL(cuda::residual_add_cuda));
}

}  // namespace genomamba::ops
