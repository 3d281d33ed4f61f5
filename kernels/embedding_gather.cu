// Embedding lookup on the GPU: out[b, l, :] = table[id(b, l), :], id(b, l) from ids (or, with
// reverse_complement, complement[ids[b, L-1-l]]). One pass, memory-bound.
// Threads: 2-D blocks of 256; threadIdx.x runs across the D columns of an output row (consecutive threads,
// consecutive columns: coalesced), threadIdx.y picks one of the block's rows; the blocks stride over the B*L
// output rows in x (grid-stride, 64-bit).
#include <algorithm>
#include <cstdint>

#include "common.cuh"
#include "embedding_gather.cuh"

namespace genomamba::ops::cuda {
namespace {

constexpr int kThreads = 256;
constexpr int64_t kMaxBlocks = 65535;  // the grid strides over the rest

__global__ void embedding_gather_kernel(const __grid_constant__ EmbeddingGatherParams p) {
  const int64_t L = p.n_tokens, D = p.n_cols, rows = p.n_batch * L;
  const int64_t row_step = static_cast<int64_t>(gridDim.x) * blockDim.y;
  for (int64_t row = static_cast<int64_t>(blockIdx.x) * blockDim.y + threadIdx.y; row < rows; row += row_step) {
    const int64_t b = row / L, l = row % L;
    const int32_t* ids = p.ids + b * p.ids_batch_stride;  // ids: [L] of sequence b
    int64_t id = p.reverse_complement ? ids[L - 1 - l] : ids[l];
    if (p.reverse_complement) id = id >= 0 && id < p.n_table_rows ? p.complement[id] : -1;
    float* dst = p.out + row * D;  // dst: [D]
    if (id < 0 || id >= p.n_table_rows) {  // the CPU op throws; here the row says so with NaN
      for (int64_t c = threadIdx.x; c < D; c += blockDim.x) dst[c] = __int_as_float(0x7fc00000);
      continue;
    }
    const float* src = p.table + id * D;  // src: [D]
    for (int64_t c = threadIdx.x; c < D; c += blockDim.x) dst[c] = src[c];
  }
}

}  // namespace

void embedding_gather_cuda(const EmbeddingGatherParams& params) {
  const int64_t rows = params.n_batch * params.n_tokens;
  if (rows == 0 || params.n_cols == 0) return;
  // Block: a warp multiple just covering the columns (at most 256), the rest of the 256 threads on more rows.
  const int64_t bx = std::min<int64_t>(kThreads, (params.n_cols + 31) / 32 * 32);
  const dim3 block(static_cast<unsigned>(bx), static_cast<unsigned>(kThreads / bx));
  const int64_t blocks = std::min<int64_t>(kMaxBlocks, (rows + block.y - 1) / block.y);
  const auto stream = static_cast<cudaStream_t>(params.ctx.stream);
  embedding_gather_kernel<<<static_cast<unsigned>(blocks), block, 0, stream>>>(params);
  GM_CUDA_LAUNCH_CHECK();
}

}  // namespace genomamba::ops::cuda
