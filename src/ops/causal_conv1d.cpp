#include "ops/causal_conv1d.h"

#include "core/error.h"
#include "ops/cpu/cpu_ops.h"
#include "ops/op_support.h"

#if GENOMAMBA_HAVE_CUDA
#include "causal_conv1d.cuh"  // kernels/
#endif

namespace genomamba::ops {

void causal_conv1d(const CausalConv1dParams& p) {
  GM_CHECK(p.n_tokens >= 0 && p.n_batch >= 0, "causal_conv1d: n_tokens and n_batch must be >= 0");
  GM_CHECK(p.channels > 0, "causal_conv1d: channels must be > 0");
  GM_CHECK(p.width >= 1 && p.width <= kMaxConvWidth, "causal_conv1d: width must be in 1..kMaxConvWidth");
  GM_CHECK(p.weight != nullptr, "causal_conv1d: weight must be non-null");
  GM_CHECK(p.width == 1 || p.history != nullptr, "causal_conv1d: history must be non-null when width > 1");
  if (p.n_tokens == 0 || p.n_batch == 0) return;
  GM_CHECK(p.n_batch == 1 || (p.out_batch_stride >= p.n_tokens * p.channels &&
                              p.history_batch_stride >= (p.width - 1) * p.channels && p.x_batch_stride != 0),
           "causal_conv1d: batch strides must separate the sequences");
  GM_CHECK(p.x != nullptr && p.out != nullptr, "causal_conv1d: x and out must be non-null");
  GM_CHECK(p.x_stride >= p.channels || p.x_stride <= -p.channels,
           "causal_conv1d: |x_stride| must be >= channels (x: [T, Di])");
  GM_CHECK(static_cast<const float*>(p.out) != p.x, "causal_conv1d: out must not alias x");
  detail::require_dtype("causal_conv1d", p.ctx, {core::DType::F32});
  detail::run_on_device("causal_conv1d", p, cpu::causal_conv1d_cpu, GM_CUDA_KERNEL(cuda::causal_conv1d_cuda));
}

}  // namespace genomamba::ops
