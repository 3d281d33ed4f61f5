// The composition step of the chunked scan on the CPU: K * Di * N exps, nothing to optimise; fp32 like the scan.
#include <cmath>
#include <cstdint>

#include "ops/cpu/cpu_ops.h"
#include "ops/compose_scan_states.h"
#include "ops/scan_math.h"

namespace genomamba::ops::cpu {

void compose_scan_states_cpu(const ComposeScanStatesParams& p) {
  const int64_t Di = p.d_inner, N = p.d_state;
#pragma omp parallel for schedule(static)
  for (int64_t d = 0; d < Di; ++d) {
    for (int64_t n = 0; n < N; ++n) {
      const int64_t dn = d * N + n;
      float h = p.initial ? p.initial[dn] : 0.0f;  // the state entering chunk k
      for (int64_t k = 0; k < p.n_chunks; ++k) {
        if (p.incoming) p.incoming[k * Di * N + dn] = h;
        h = scan_math::compose_step(h, p.A[dn], p.delta_sum[k * Di + d], p.chunk_final[k * Di * N + dn]);
      }
      if (p.final_state) p.final_state[dn] = h;
    }
  }
}

}  // namespace genomamba::ops::cpu
