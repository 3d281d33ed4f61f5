#include "ops/selective_scan.h"

#include <string>

#include "core/error.h"
#include "ops/cpu/cpu_ops.h"
#include "ops/op_support.h"
#include "ops/scan_chunking.h"

#if GENOMAMBA_HAVE_CUDA
#include "selective_scan.cuh"  // kernels/
#endif

namespace genomamba::ops {
namespace {

bool stride_ok(int64_t stride, int64_t width) { return stride >= width || stride <= -width; }

}  // namespace

int64_t selective_scan_workspace_bytes(core::Device device, int64_t n_batch, int64_t n_tokens, int64_t d_inner,
                                       int64_t d_state) {
  if (device.is_cpu()) return 0;
  return scan_workspace_floats(n_batch, n_tokens, d_inner, d_state) * static_cast<int64_t>(sizeof(float));
}

void selective_scan(const SelectiveScanParams& p) {
  GM_CHECK(p.n_tokens >= 0 && p.n_batch >= 0, "selective_scan: n_tokens and n_batch must be >= 0");
  GM_CHECK(p.d_inner > 0, "selective_scan: d_inner must be > 0");
  GM_CHECK(p.d_state > 0 && p.d_state <= kMaxScanState, "selective_scan: d_state must be in 1..kMaxScanState");
  GM_CHECK(p.delta_bias != nullptr && p.A != nullptr && p.D != nullptr && p.state != nullptr,
           "selective_scan: delta_bias, A, D and state must be non-null");
  if (p.n_tokens == 0 || p.n_batch == 0) return;
  GM_CHECK(p.n_batch == 1 || (p.state_batch_stride >= p.d_inner * p.d_state && p.out_batch_stride != 0 &&
                              (p.delta_sum == nullptr || p.delta_sum_batch_stride >= p.d_inner)),
           "selective_scan: batch strides must separate the sequences");
  GM_CHECK((p.state_only || (p.u != nullptr && p.B != nullptr)) && p.delta_raw != nullptr && p.C != nullptr &&
               p.z != nullptr && p.out != nullptr,
           "selective_scan: u, delta_raw, B, C, z and out must be non-null (u and B may be null when state_only)");
  GM_CHECK(stride_ok(p.bc_stride, p.d_state), "selective_scan: |bc_stride| must be >= d_state (B, C: [T, N])");
  GM_CHECK(stride_ok(p.z_stride, p.d_inner), "selective_scan: |z_stride| must be >= d_inner (z: [T, Di])");
  GM_CHECK(stride_ok(p.out_stride, p.d_inner), "selective_scan: |out_stride| must be >= d_inner (out: [T, Di])");
  detail::require_dtype("selective_scan", p.ctx, {core::DType::F32});
  if (!p.ctx.device.is_cpu()) {
    const int64_t need = selective_scan_workspace_bytes(p.ctx.device, p.n_batch, p.n_tokens, p.d_inner, p.d_state);
    GM_CHECK(p.ctx.workspace != nullptr && p.ctx.workspace_bytes >= static_cast<size_t>(need),
             "selective_scan: on a GPU ctx.workspace must hold selective_scan_workspace_bytes() = " +
                 std::to_string(need) + " bytes for this call (got " +
                 (p.ctx.workspace ? std::to_string(p.ctx.workspace_bytes) + " bytes" : std::string("none")) + ")");
  }
  detail::run_on_device("selective_scan", p, cpu::selective_scan_cpu, GM_CUDA_KERNEL(cuda::selective_scan_cuda));
}

}  // namespace genomamba::ops
