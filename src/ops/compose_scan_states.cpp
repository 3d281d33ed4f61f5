#include "ops/compose_scan_states.h"

#include "core/error.h"
#include "ops/cpu/cpu_ops.h"
#include "ops/op_support.h"

#if GENOMAMBA_HAVE_CUDA
#include "compose_scan_states.cuh"  // kernels/
#endif

namespace genomamba::ops {

void compose_scan_states(const ComposeScanStatesParams& p) {
  GM_CHECK(p.n_chunks >= 0, "compose_scan_states: n_chunks must be >= 0");
  GM_CHECK(p.d_inner > 0 && p.d_state > 0, "compose_scan_states: d_inner and d_state must be > 0");
  if (p.n_chunks == 0) return;
  GM_CHECK(p.A != nullptr && p.chunk_final != nullptr && p.delta_sum != nullptr,
           "compose_scan_states: A, chunk_final and delta_sum must be non-null");
  detail::require_dtype("compose_scan_states", p.ctx, {core::DType::F32});
  detail::run_on_device("compose_scan_states", p, cpu::compose_scan_states_cpu, GM_CUDA_KERNEL(cuda::compose_scan_states_cuda));
}

}  // namespace genomamba::ops
