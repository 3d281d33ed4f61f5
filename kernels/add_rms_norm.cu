#include "add_rms_norm.cuh"
#include "common.cuh"

namespace genomamba::ops::cuda {
namespace {

constexpr int kThreads = 256;

// One block per row: residual[t] += x[t]; out[t] = residual[t] * rstd * weight. fp32 throughout.
__global__ void add_rms_norm_kernel(const __grid_constant__ AddRmsNormParams p) {
  const int64_t row = blockIdx.x;
  const int64_t d = p.n_cols;
  float* residual = p.residual + row * d;
  const float* x = p.x ? p.x + row * d : nullptr;
  float* out = p.out + row * d;

  float sum_sq = 0.0f;
  for (int64_t c = threadIdx.x; c < d; c += blockDim.x) {
    float v = residual[c];
    if (x) v += x[c];
    residual[c] = v;
    sum_sq += v * v;
  }
  // Block reduction: warp shuffles, then one value per warp through shared memory.
  __shared__ float warp_sums[kThreads / 32];
  for (int offset = 16; offset > 0; offset >>= 1) sum_sq += __shfl_xor_sync(0xffffffffu, sum_sq, offset);
  if ((threadIdx.x & 31) == 0) warp_sums[threadIdx.x >> 5] = sum_sq;
  __syncthreads();
  __shared__ float rstd;
  if (threadIdx.x == 0) {
    float total = 0.0f;
    for (int w = 0; w < kThreads / 32; ++w) total += warp_sums[w];
    rstd = rsqrtf(total / static_cast<float>(d) + p.eps);
  }
  __syncthreads();
  for (int64_t c = threadIdx.x; c < d; c += blockDim.x) out[c] = residual[c] * rstd * p.weight[c];
}

}  // namespace

void add_rms_norm_cuda(const AddRmsNormParams& params) {
  GM_CHECK(params.n_cols > 0 && params.n_cols <= 8192, "add_rms_norm_cuda: n_cols must be in 1..8192");
  GM_CHECK(params.residual && params.weight && params.out, "add_rms_norm_cuda: residual, weight, out are required");
  if (params.n_rows == 0) return;
  const auto stream = static_cast<cudaStream_t>(params.ctx.stream);
  add_rms_norm_kernel<<<static_cast<unsigned>(params.n_rows), kThreads, 0, stream>>>(params);
  GM_CUDA_LAUNCH_CHECK();
}

}  // namespace genomamba::ops::cuda
