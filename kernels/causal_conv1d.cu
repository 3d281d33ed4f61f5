// Depthwise causal conv1d + SiLU on the GPU (src/ops/causal_conv1d_params.h), for B sequences of one tile of
// T tokens each:
//   out[b, t, d] = silu(bias[d] + sum_{k<K} w[d, k] * x[b, t-(K-1)+k, d]),  x[b, t' < 0] from history[b].
// Two kernels on the stream, in order:
//  1. conv: 2-D blocks of 256; threadIdx.x across the Di channels of a token (coalesced), threadIdx.y picks one
//     of the block's tokens, the blocks stride over the B*T (sequence, token) rows in x (64-bit). Each output
//     reads its K inputs (from x, with any x_stride including a negative one, or from the old history).
//  2. history update (K > 1), after every read of the old history: one thread per (sequence, channel), over
//     B*Di in a 1-D grid-stride loop, writes history[b, k, d] = the input of token T-(K-1)+k for k = 0..K-2 in
//     increasing k. When T < K-1 that input may itself sit in the old history, at row T+k > k, which no earlier
//     step of the same thread has overwritten (the CPU op's argument); other threads own other columns.
// The sum runs bias, tap 0, ..., tap K-1 like the CPU op's; nvcc fuses each step into an FMA and the device
// expf differs from the CPU's by ulps, so the outputs agree within a few ulp (not bit for bit).
#include <algorithm>
#include <cstdint>

#include "causal_conv1d.cuh"
#include "common.cuh"
#include "ops/scan_math.h"

namespace genomamba::ops::cuda {
namespace {

constexpr int kThreads = 256;
constexpr int64_t kMaxBlocks = 65535;  // the grid strides over the rest

// kWidth = p.width (the loop over taps unrolled), or 0 for any width read at run time.
template <int kWidth>
__global__ void causal_conv1d_kernel(const __grid_constant__ CausalConv1dParams p) {
  const int64_t T = p.n_tokens, Di = p.channels, rows = p.n_batch * T;
  const int64_t K = kWidth > 0 ? kWidth : p.width;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.y;
  for (int64_t row = static_cast<int64_t>(blockIdx.x) * blockDim.y + threadIdx.y; row < rows; row += step) {
    const int64_t b = row / T, t = row % T;
    const float* x = p.x + b * p.x_batch_stride;                               // x: [T, Di], row stride x_stride
    const float* history = p.history ? p.history + b * p.history_batch_stride : nullptr;  // [K-1, Di]
    float* out = p.out + b * p.out_batch_stride + t * Di;                      // out: [Di] of token t
    for (int64_t d = threadIdx.x; d < Di; d += blockDim.x) {
      float c = p.bias ? p.bias[d] : 0.0f;
      // Width 4: fully unrolled; a width read at run time: a plain loop (unrolling it costs registers).
#pragma unroll (kWidth > 0 ? kWidth : 1)
      for (int64_t k = 0; k < K; ++k) {
        const int64_t s = t - (K - 1) + k;  // the token of tap k; negative: from the history
        const float xv = s >= 0 ? x[s * p.x_stride + d] : history[(s + K - 1) * Di + d];
        const float w = p.weight_by_tap ? p.weight_by_tap[k * Di + d] : p.weight[d * K + k];
        c += w * xv;
      }
      out[d] = scan_math::silu(c);
    }
  }
}

// history[b]: [K-1, Di] <- the inputs of tokens T-(K-1) .. T-1 of sequence b (oldest first).
__global__ void causal_conv1d_history_kernel(const __grid_constant__ CausalConv1dParams p) {
  const int64_t T = p.n_tokens, Di = p.channels, K = p.width, n = p.n_batch * Di;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += step) {
    const int64_t b = i / Di, d = i % Di;
    const float* x = p.x + b * p.x_batch_stride;                  // x: [T, Di], row stride x_stride
    float* history = p.history + b * p.history_batch_stride;      // history: [K-1, Di]
    for (int64_t k = 0; k + 1 < K; ++k) {
      const int64_t s = T - (K - 1) + k;
      history[k * Di + d] = s >= 0 ? x[s * p.x_stride + d] : history[(s + K - 1) * Di + d];
    }
  }
}

}  // namespace

void causal_conv1d_cuda(const CausalConv1dParams& params) {
  const int64_t rows = params.n_batch * params.n_tokens, Di = params.channels;
  if (rows == 0 || Di == 0) return;
  const auto stream = static_cast<cudaStream_t>(params.ctx.stream);
  // Block: a warp multiple just covering the channels (at most 256), the rest of the 256 threads on more tokens.
  const int64_t bx = std::min<int64_t>(kThreads, (Di + 31) / 32 * 32);
  const dim3 block(static_cast<unsigned>(bx), static_cast<unsigned>(kThreads / bx));
  const auto blocks = static_cast<unsigned>(std::min<int64_t>(kMaxBlocks, (rows + block.y - 1) / block.y));
  if (params.width == 4)
    causal_conv1d_kernel<4><<<blocks, block, 0, stream>>>(params);
  else
    causal_conv1d_kernel<0><<<blocks, block, 0, stream>>>(params);
  GM_CUDA_LAUNCH_CHECK();
  if (params.width > 1) {
    const int64_t n = params.n_batch * Di;
    const auto h_blocks = static_cast<unsigned>(std::min<int64_t>(kMaxBlocks, (n + kThreads - 1) / kThreads));
    causal_conv1d_history_kernel<<<h_blocks, kThreads, 0, stream>>>(params);
    GM_CUDA_LAUNCH_CHECK();
  }
}

}  // namespace genomamba::ops::cuda
