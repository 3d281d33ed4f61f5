#pragma once
// POD parameters of ops::compose_scan_states. Shared with kernels/.
#include <cstdint>

#include "ops/exec_context.h"

namespace genomamba::ops {

/// The composition step of the chunked selective scan (performance.md §3.2): given, for K chunks in scan
/// order, the state each one ends in when scanned from zero (S_k) and the sum of its deltas (ΣΔ_k), gives every
/// chunk the state entering it,
///   incoming[0] = initial,   incoming[k+1][d, n] = exp(A[d, n] * ΣΔ_k[d]) * incoming[k][d, n] + S_k[d, n],
/// and the state after the last chunk. The same step composes ranks' summaries after an all-gather.
struct ComposeScanStatesParams {
  int64_t n_chunks = 0;             ///< K
  int64_t d_inner = 0;              ///< Di
  int64_t d_state = 0;              ///< N
  const float* A = nullptr;         ///< [Di, N]  (= -exp(A_log))
  const float* initial = nullptr;   ///< [Di, N] the state entering chunk 0, or null for zero
  const float* chunk_final = nullptr;  ///< [K, Di, N] S_k: each chunk's final state when scanned from zero
  const float* delta_sum = nullptr;    ///< [K, Di] ΣΔ_k
  float* incoming = nullptr;        ///< [K, Di, N] out: the state entering each chunk; may be null
  float* final_state = nullptr;     ///< [Di, N] out: the state after chunk K-1; may be null
  ExecContext ctx;                ///< where the op runs
};

}  // namespace genomamba::ops
