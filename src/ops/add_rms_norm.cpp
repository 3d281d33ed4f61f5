#include "ops/add_rms_norm.h"

#include "core/error.h"
#include "ops/cpu/cpu_ops.h"
#include "ops/op_support.h"

#if GENOMAMBA_HAVE_CUDA
#include "add_rms_norm.cuh"  // kernels/
#endif

namespace genomamba::ops {

void add_rms_norm(const AddRmsNormParams& p) {
  GM_CHECK(p.n_rows >= 0, "add_rms_norm: n_rows must be >= 0");
  GM_CHECK(p.n_cols > 0, "add_rms_norm: n_cols must be > 0");
  GM_CHECK(p.eps >= 0.0f, "add_rms_norm: eps must be >= 0");
  if (p.n_rows == 0) return;
  GM_CHECK(p.residual != nullptr && p.weight != nullptr && p.out != nullptr,
           "add_rms_norm: residual, weight and out must be non-null");
  GM_CHECK(p.out != p.residual, "add_rms_norm: out must not alias residual");
  detail::require_dtype("add_rms_norm", p.ctx, {core::DType::F32});
  detail::run_on_device("add_rms_norm", p, cpu::add_rms_norm_cpu, GM_CUDA_KERNEL(cuda::add_rms_norm_cuda));
}

}  // namespace genomamba::ops
