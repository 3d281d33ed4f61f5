// The chunk composition of the chunked selective scan on the GPU (src/ops/compose_scan_states_params.h):
//   incoming[0] = initial (or 0),  incoming[k+1][d, n] = exp(A[d, n] * ΣΔ_k[d]) * incoming[k][d, n] + S_k[d, n],
// the step being scan_math::compose_step, the CPU op's own arithmetic (up to the device expf and FMA).
// Threads: one per (d, n) state element over the Di*N of them in a 1-D grid-stride loop (64-bit), consecutive
// threads on consecutive n (coalesced); each walks the K chunks in order.
#include <algorithm>
#include <cstdint>

#include "common.cuh"
#include "compose_scan_states.cuh"
#include "ops/scan_math.h"

namespace genomamba::ops::cuda {
namespace {

constexpr int kThreads = 256;
constexpr int64_t kMaxBlocks = 65535;  // the grid strides over the rest

__global__ void compose_scan_states_kernel(const __grid_constant__ ComposeScanStatesParams p) {
  const int64_t Di = p.d_inner, N = p.d_state, DN = Di * N;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t dn = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; dn < DN; dn += step) {
    const int64_t d = dn / N;
    const float a = p.A[dn];                      // A: [Di, N]
    float h = p.initial ? p.initial[dn] : 0.0f;  // the state entering chunk k
    for (int64_t k = 0; k < p.n_chunks; ++k) {
      if (p.incoming) p.incoming[k * DN + dn] = h;  // incoming: [K, Di, N]
      // delta_sum: [K, Di]; chunk_final: [K, Di, N]
      h = scan_math::compose_step(h, a, p.delta_sum[k * Di + d], p.chunk_final[k * DN + dn]);
    }
    if (p.final_state) p.final_state[dn] = h;  // final_state: [Di, N]
  }
}

}  // namespace

void compose_scan_states_cuda(const ComposeScanStatesParams& params) {
  const int64_t DN = params.d_inner * params.d_state;
  if (params.n_chunks == 0 || DN == 0) return;
  if (!params.incoming && !params.final_state) return;  // nothing asked for
  const auto blocks = static_cast<unsigned>(std::min<int64_t>(kMaxBlocks, (DN + kThreads - 1) / kThreads));
  const auto stream = static_cast<cudaStream_t>(params.ctx.stream);
  compose_scan_states_kernel<<<blocks, kThreads, 0, stream>>>(params);
  GM_CUDA_LAUNCH_CHECK();
}

}  // namespace genomamba::ops::cuda
