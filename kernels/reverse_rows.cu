// Row reversal on the GPU: out[b, l, c] (+)= scale * in[b, row(l), col(c)] (src/ops/reverse_rows_params.h).
// Every value is a copy, or scale * value (+ out) rounded as the CPU rounds it (no FMA contraction), so the
// results equal the CPU op's bit for bit.
// Threads: 2-D blocks of 256; threadIdx.x runs across the columns of a row (coalesced; with reverse_cols the
// reads of a warp are consecutive too, descending), threadIdx.y picks one of the block's rows, and the blocks
// stride over the rows in x (64-bit). Out of place a "row" is an output row (B*L of them). In place it is a
// pair of mirror rows l <-> L-1-l (B*ceil(L/2) of them; B*L when the rows keep their order), whose elements
// are swapped by one thread each, so every element is read and written by exactly one thread.
#include <algorithm>
#include <cstdint>

#include "common.cuh"
#include "reverse_rows.cuh"

namespace genomamba::ops::cuda {
namespace {

constexpr int kThreads = 256;
constexpr int64_t kMaxBlocks = 65535;  // the grid strides over the rest

__device__ __forceinline__ void swap_values(float& a, float& b) {
  const float t = a;
  a = b;
  b = t;
}

// in == out: row l swaps with its mirror (channels reversed across the pair with reverse_cols); a row that is
// its own mirror (the middle one of an odd L, or every row when !reverse) reverses its channels alone.
__global__ void reverse_rows_in_place_kernel(const __grid_constant__ ReverseRowsParams p) {
  const int64_t L = p.n_rows, D = p.n_cols;
  const int64_t pairs = p.reverse ? (L + 1) / 2 : L;
  const int64_t n_items = p.n_batch * pairs;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.y;
  for (int64_t item = static_cast<int64_t>(blockIdx.x) * blockDim.y + threadIdx.y; item < n_items; item += step) {
    const int64_t b = item / pairs, l = item % pairs;
    const int64_t mirror = p.reverse ? L - 1 - l : l;
    float* top = p.out + b * p.out_batch_stride + l * p.out_stride;          // top: [D], row l
    float* bottom = p.out + b * p.out_batch_stride + mirror * p.out_stride;  // bottom: [D], row mirror
    if (!p.reverse_cols) {
      if (mirror != l)
        for (int64_t c = threadIdx.x; c < D; c += blockDim.x) swap_values(top[c], bottom[c]);
    } else if (mirror == l) {
      for (int64_t c = threadIdx.x; c < D / 2; c += blockDim.x) swap_values(top[c], top[D - 1 - c]);
    } else {
      for (int64_t c = threadIdx.x; c < D; c += blockDim.x) swap_values(top[c], bottom[D - 1 - c]);
    }
  }
}

__global__ void reverse_rows_kernel(const __grid_constant__ ReverseRowsParams p) {
  const int64_t L = p.n_rows, D = p.n_cols, rows = p.n_batch * L;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.y;
  for (int64_t row = static_cast<int64_t>(blockIdx.x) * blockDim.y + threadIdx.y; row < rows; row += step) {
    const int64_t b = row / L, l = row % L;
    const float* src = p.in + b * p.in_batch_stride + (p.reverse ? L - 1 - l : l) * p.in_stride;  // src: [>= D]
    float* dst = p.out + b * p.out_batch_stride + l * p.out_stride;                                // dst: [D]
    for (int64_t c = threadIdx.x; c < D; c += blockDim.x) {
      const int64_t from = p.reverse_cols ? D - 1 - c : p.column_map ? p.column_map[c] : c;
      const float value = __fmul_rn(p.scale, src[from]);  // _rn: never fused with the add below
      dst[c] = p.accumulate ? __fadd_rn(dst[c], value) : value;
    }
  }
}

}  // namespace

void reverse_rows_cuda(const ReverseRowsParams& params) {
  const int64_t L = params.n_rows;
  if (params.n_batch == 0 || L == 0 || params.n_cols == 0) return;
  const bool in_place = static_cast<const float*>(params.out) == params.in;
  if (in_place && !params.reverse && !params.reverse_cols) return;  // nothing moves
  const int64_t n_items = params.n_batch * (in_place && params.reverse ? (L + 1) / 2 : L);
  // Block: a warp multiple just covering the columns (at most 256), the rest of the 256 threads on more rows.
  const int64_t bx = std::min<int64_t>(kThreads, (params.n_cols + 31) / 32 * 32);
  const dim3 block(static_cast<unsigned>(bx), static_cast<unsigned>(kThreads / bx));
  const auto blocks = static_cast<unsigned>(std::min<int64_t>(kMaxBlocks, (n_items + block.y - 1) / block.y));
  const auto stream = static_cast<cudaStream_t>(params.ctx.stream);
  if (in_place)
    reverse_rows_in_place_kernel<<<blocks, block, 0, stream>>>(params);
  else
    reverse_rows_kernel<<<blocks, block, 0, stream>>>(params);
  GM_CUDA_LAUNCH_CHECK();
}

}  // namespace genomamba::ops::cuda
