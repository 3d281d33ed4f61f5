#pragma once
/// The per-element arithmetic of the selective scan and its chunk composition, written once for the CPU's
/// portable path (ops/cpu/) and the CUDA kernels (kernels/): compiled as __host__ __device__ by nvcc, as plain
/// inline functions otherwise. The CPU tests therefore exercise the arithmetic the GPU runs (up to the device's
/// expf/log1pf, which CUDA documents within 2 ulp). C++17-clean: shared with kernels/.
#include <cmath>

#if defined(__CUDACC__)
#define GM_HOST_DEVICE __host__ __device__ __forceinline__
#else
#define GM_HOST_DEVICE inline
#endif

namespace genomamba::ops::scan_math {

/// PyTorch's softplus with threshold 20: the Δ of a token from its dt_proj output plus the bias.
GM_HOST_DEVICE float softplus(float v) { return v > 20.0f ? v : log1pf(expf(v)); }

/// SiLU, v * sigmoid(v): the conv's activation and the gate of the scan's output.
GM_HOST_DEVICE float silu(float v) { return v / (1.0f + expf(-v)); }

/// One discretised step of one (channel, state) pair: s' = exp(Δ·A)·s + (Δ·u)·B.
GM_HOST_DEVICE float scan_step(float state, float delta, float a, float delta_u, float b) {
  return expf(delta * a) * state + delta_u * b;
}

/// The gated output of one channel: (Σ_n s·C + D·u) · silu(z).
GM_HOST_DEVICE float gated_output(float state_dot_c, float d_skip, float u, float z) {
  return (state_dot_c + d_skip * u) * silu(z);
}

/// The state entering the next chunk from the one entering this chunk (h), the chunk's decay exponent (A·ΣΔ)
/// and the state the chunk ends in when scanned from zero (S): exp(A·ΣΔ)·h + S.
GM_HOST_DEVICE float compose_step(float incoming, float a, float delta_sum, float chunk_final) {
  return expf(a * delta_sum) * incoming + chunk_final;
}

}  // namespace genomamba::ops::scan_math
