// y += x on the GPU, over the n = rows * cols values as one flat array (both contiguous). One pass,
// memory-bound; each element is one IEEE add, so the result equals the CPU op's bit for bit.
// Threads: a 1-D grid-stride loop (64-bit), consecutive threads on consecutive elements; when both pointers
// are 16-byte aligned each thread moves a float4 and the last n % 4 elements go one per thread.
#include <algorithm>
#include <cstdint>

#include "common.cuh"
#include "residual_add.cuh"

namespace genomamba::ops::cuda {
namespace {

constexpr int kThreads = 256;
constexpr int64_t kMaxBlocks = 65535;  // the grid strides over the rest

// x, y: [n]; n4 of them (n4 = 0 when unaligned) go as float4, [4 * n4, n) one by one.
__global__ void residual_add_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n, int64_t n4) {
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  const int64_t first = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  const auto* x4 = reinterpret_cast<const float4*>(x);
  auto* y4 = reinterpret_cast<float4*>(y);
  for (int64_t i = first; i < n4; i += step) {
    const float4 a = x4[i];
    float4 v = y4[i];
    v.x += a.x, v.y += a.y, v.z += a.z, v.w += a.w;
    y4[i] = v;
  }
  for (int64_t i = 4 * n4 + first; i < n; i += step) y[i] += x[i];
}

}  // namespace

void residual_add_cuda(const ResidualAddParams& params) {
  const int64_t n = params.n_rows * params.n_cols;
  if (n == 0) return;
  const bool aligned = reinterpret_cast<uintptr_t>(params.x) % 16 == 0 && reinterpret_cast<uintptr_t>(params.y) % 16 == 0;
  const int64_t n4 = aligned ? n / 4 : 0;
  const int64_t work = std::max<int64_t>(n4, n - 4 * n4);  // items of the longer of the two loops
  const int64_t blocks = std::min<int64_t>(kMaxBlocks, (work + kThreads - 1) / kThreads);
  const auto stream = static_cast<cudaStream_t>(params.ctx.stream);
  residual_add_kernel<<<static_cast<unsigned>(blocks), kThreads, 0, stream>>>(params.x, params.y, n, n4);
  GM_CUDA_LAUNCH_CHECK();
}

}  // namespace genomamba::ops::cuda
