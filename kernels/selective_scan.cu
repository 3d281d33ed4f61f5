#include "selective_scan.cuh"

#include <climits>

#include "common.cuh"
#include "ops/scan_chunking.h"
#include "ops/scan_math.h"
#include "ops/selective_scan.h"

// The chunk-parallel selective scan (performance.md §2.3): the scan is affine in its state, so a tile of T
// tokens is split into K chunks of kScanChunkTokens that run at the same time,
//   1. chunk_scan_kernel<kN, false>: every chunk scanned from zero (chunk 0 from params.state) → its outputs,
//      its end state S_k and ΣΔ_k, the summaries going to the workspace;
//   2. compose_kernel: the state entering chunk k is h_k = exp(A·ΣΔ_{k-1})·h_{k-1} + S_{k-1} (scan_math::
//      compose_step), written over S_k; the last h is the new params.state;
//   3. chunk_scan_kernel<kN, true>: every chunk k >= 1 walked again from h_k with u = 0 (the decay alone),
//      adding (Σ_n s·C)·silu(z) to its outputs.
// One thread owns one channel d of one chunk, with its N states in registers; B_t and C_t are staged once per
// block in shared memory. All offsets are int64 (row strides may be negative).

namespace genomamba::ops::cuda {
namespace {

using scan_math::gated_output;
using scan_math::scan_step;
using scan_math::softplus;

constexpr int kThreads = 128;        // channels per block of the chunk kernels
constexpr int kStage = 32;           // tokens of B and C staged in shared memory at once
/// Tokens of delta_raw, u, z one thread loads ahead: fewer for larger states, whose registers hold N states and
/// N decay rates (keeps ptxas from spilling; -Xptxas -v).
template <int kN>
constexpr int group_tokens() { return kN <= 16 ? 4 : kN <= 32 ? 2 : 1; }
constexpr int kComposeThreads = 256;
constexpr int kComposeAhead = 8;     // chunk summaries one compose thread loads ahead
constexpr int64_t kMaxGridYZ = 65535;

static_assert(kScanChunkTokens % kStage == 0, "a chunk must be whole stages");

/// What the three kernels share: the op's parameters and where the chunk summaries live.
struct ScanArgs {
  SelectiveScanParams p;
  float* ws_state = nullptr;  // [n_batch, K, N, Di]: S_k from kernel 1, the state entering chunk k after kernel 2
  float* ws_dsum = nullptr;   // [n_batch, K, Di]: ΣΔ_k
  int64_t n_chunks = 0;       // K
  int64_t batch0 = 0;         // the sequence of blockIdx.z (or blockIdx.y) == 0
};

/// Kernel 1 (kCorrection = false) and kernel 3 (kCorrection = true). Grid (chunks, channel tiles, sequences);
/// kN >= d_state, a power of two: states n >= d_state are held at zero (A, B and C read as zero there).
template <int kN, bool kCorrection>
__global__ void __launch_bounds__(kThreads) chunk_scan_kernel(const __grid_constant__ ScanArgs a) {
  constexpr int kGroup = group_tokens<kN>();
  static_assert(kStage % kGroup == 0, "a stage must be whole groups");
  const SelectiveScanParams& p = a.p;
  const int64_t Di = p.d_inner;
  const int N = static_cast<int>(p.d_state);
  const int64_t K = a.n_chunks;
  const int64_t b = a.batch0 + blockIdx.z;
  const int64_t k = static_cast<int64_t>(blockIdx.x) + (kCorrection ? 1 : 0);
  const int64_t d = static_cast<int64_t>(blockIdx.y) * kThreads + threadIdx.x;
  const bool active = d < Di;
  const int64_t t_begin = k * kScanChunkTokens;
  const int64_t t_end = t_begin + kScanChunkTokens < p.n_tokens ? t_begin + kScanChunkTokens : p.n_tokens;
  // u and B are read by the chunk scan unless in state_only mode; the correction reads neither.
  const bool read_u = !kCorrection && !p.state_only;

  const int64_t u_at = b * p.u_batch_stride;
  const float* delta_raw = p.delta_raw + u_at;
  const float* u = read_u ? p.u + u_at : nullptr;
  const float* Bm = read_u ? p.B + b * p.bc_batch_stride : nullptr;
  const float* Cm = p.C + b * p.bc_batch_stride;
  const float* z = p.z + b * p.z_batch_stride;
  float* out = p.out + b * p.out_batch_stride;
  float* ws_state = a.ws_state + (b * K + k) * N * Di;  // this chunk's [N, Di]

  __shared__ float sB[kCorrection ? 1 : kStage * kN];  // B: [kStage, kN]
  __shared__ float sC[kStage * kN];                      // C: [kStage, kN]

  float s[kN], A[kN];
  float bias = 0.0f, d_skip = 0.0f, delta_total = 0.0f;
#pragma unroll
  for (int n = 0; n < kN; ++n) s[n] = A[n] = 0.0f;
  if (active) {
    bias = p.delta_bias[d];
    if (read_u) d_skip = p.D[d];
#pragma unroll
    for (int n = 0; n < kN; ++n) {
      if (n < N) {
        A[n] = p.A[d * N + n];
        if (kCorrection)
          s[n] = ws_state[n * Di + d];
        else if (k == 0)
          s[n] = p.state[b * p.state_batch_stride + d * N + n];
      }
    }
  }

  for (int64_t t_stage = t_begin; t_stage < t_end; t_stage += kStage) {
    const int n_stage = t_end - t_stage < kStage ? static_cast<int>(t_end - t_stage) : kStage;
    __syncthreads();  // every thread is done with the previous stage
    for (int i = threadIdx.x; i < kStage * kN; i += kThreads) {
      const int tt = i / kN, n = i % kN;
      const bool in = tt < n_stage && n < N;
      const int64_t at = (t_stage + tt) * p.bc_stride + n;
      sC[i] = in ? Cm[at] : 0.0f;
      if (!kCorrection) sB[i] = in && read_u ? Bm[at] : 0.0f;
    }
    __syncthreads();
    if (!active) continue;

    for (int g = 0; g < n_stage; g += kGroup) {
      float dr[kGroup], uu[kGroup], zz[kGroup];
#pragma unroll
      for (int j = 0; j < kGroup; ++j) {
        const int64_t t = t_stage + g + j;
        const bool in = g + j < n_stage;
        dr[j] = in ? delta_raw[t * Di + d] : 0.0f;
        uu[j] = in && read_u ? u[t * Di + d] : 0.0f;
        zz[j] = in ? z[t * p.z_stride + d] : 0.0f;
      }
#pragma unroll
      for (int j = 0; j < kGroup; ++j) {
        if (g + j < n_stage) {
          const float delta = softplus(dr[j] + bias);
          delta_total += delta;
          const float* Ct = sC + (g + j) * kN;
          float y = 0.0f;
          if constexpr (kCorrection) {
#pragma unroll
            for (int n = 0; n < kN; ++n) {
              s[n] = scan_step(s[n], delta, A[n], 0.0f, 0.0f);  // the incoming state's decay alone
              y += s[n] * Ct[n];
            }
          } else {
            const float du = delta * uu[j];
            const float* Bt = sB + (g + j) * kN;
#pragma unroll
            for (int n = 0; n < kN; ++n) {
              s[n] = scan_step(s[n], delta, A[n], du, Bt[n]);
              y += s[n] * Ct[n];
            }
          }
          const float o = gated_output(y, d_skip, uu[j], zz[j]);
          float* dst = out + (t_stage + g + j) * p.out_stride + d;
          if (kCorrection || p.accumulate)
            *dst += o;
          else
            *dst = o;
        }
      }
    }
  }

  if (!kCorrection && active) {
#pragma unroll
    for (int n = 0; n < kN; ++n)
      if (n < N) ws_state[n * Di + d] = s[n];
    a.ws_dsum[(b * K + k) * Di + d] = delta_total;
  }
}

/// Kernel 2. One thread per (sequence, n, d), grid (Di·N / kComposeThreads, sequences).
__global__ void __launch_bounds__(kComposeThreads) compose_kernel(const __grid_constant__ ScanArgs a) {
  const SelectiveScanParams& p = a.p;
  const int64_t Di = p.d_inner, N = p.d_state, K = a.n_chunks;
  const int64_t b = a.batch0 + blockIdx.y;
  const int64_t i = static_cast<int64_t>(blockIdx.x) * kComposeThreads + threadIdx.x;  // n * Di + d
  if (i >= N * Di) return;
  const int64_t n = i / Di, d = i - n * Di;
  const float A = p.A[d * N + n];
  float* S = a.ws_state + b * K * N * Di + i;  // chunk k's entry at S[k * N * Di]
  const float* ds = a.ws_dsum + b * K * Di + d;  // chunk k's ΣΔ at ds[k * Di]
  float h = S[0];  // chunk 0 was scanned from the incoming state: S_0 is already the state after it
  float delta_total = ds[0];
  for (int64_t k0 = 1; k0 < K; k0 += kComposeAhead) {
    float s_k[kComposeAhead], ds_k[kComposeAhead];
#pragma unroll
    for (int j = 0; j < kComposeAhead; ++j) {
      s_k[j] = k0 + j < K ? S[(k0 + j) * N * Di] : 0.0f;
      ds_k[j] = k0 + j < K ? ds[(k0 + j) * Di] : 0.0f;
    }
#pragma unroll
    for (int j = 0; j < kComposeAhead; ++j) {
      if (k0 + j < K) {
        S[(k0 + j) * N * Di] = h;  // the state entering chunk k0 + j
        delta_total += ds_k[j];
        h = scan_math::compose_step(h, A, ds_k[j], s_k[j]);
      }
    }
  }
  p.state[b * p.state_batch_stride + d * N + n] = h;
  if (p.delta_sum != nullptr && n == 0) p.delta_sum[b * p.delta_sum_batch_stride + d] += delta_total;
}

unsigned grid_dim(int64_t v) { return static_cast<unsigned>(v); }

template <int kN>
void launch(ScanArgs args, cudaStream_t stream) {
  const SelectiveScanParams& p = args.p;
  const int64_t K = args.n_chunks;
  const int64_t tiles = (p.d_inner + kThreads - 1) / kThreads;
  const int64_t compose_blocks = (p.d_inner * p.d_state + kComposeThreads - 1) / kComposeThreads;
  GM_CHECK(tiles <= kMaxGridYZ, "selective_scan_cuda: d_inner is too large for the grid");
  GM_CHECK(K <= INT_MAX && compose_blocks <= INT_MAX, "selective_scan_cuda: the tile is too large for the grid");
  for (int64_t b0 = 0; b0 < p.n_batch; b0 += kMaxGridYZ) {  // 1. chunk scan
    args.batch0 = b0;
    const int64_t nb = p.n_batch - b0 < kMaxGridYZ ? p.n_batch - b0 : kMaxGridYZ;
    chunk_scan_kernel<kN, false><<<dim3(grid_dim(K), grid_dim(tiles), grid_dim(nb)), kThreads, 0, stream>>>(args);
    GM_CUDA_LAUNCH_CHECK();
  }
  for (int64_t b0 = 0; b0 < p.n_batch; b0 += kMaxGridYZ) {  // 2. compose
    args.batch0 = b0;
    const int64_t nb = p.n_batch - b0 < kMaxGridYZ ? p.n_batch - b0 : kMaxGridYZ;
    compose_kernel<<<dim3(grid_dim(compose_blocks), grid_dim(nb)), kComposeThreads, 0, stream>>>(args);
    GM_CUDA_LAUNCH_CHECK();
  }
  if (K < 2) return;
  for (int64_t b0 = 0; b0 < p.n_batch; b0 += kMaxGridYZ) {  // 3. correction of chunks 1..K-1
    args.batch0 = b0;
    const int64_t nb = p.n_batch - b0 < kMaxGridYZ ? p.n_batch - b0 : kMaxGridYZ;
    chunk_scan_kernel<kN, true><<<dim3(grid_dim(K - 1), grid_dim(tiles), grid_dim(nb)), kThreads, 0, stream>>>(args);
    GM_CUDA_LAUNCH_CHECK();
  }
}

}  // namespace

void selective_scan_cuda(const SelectiveScanParams& params) {
  static_assert(kMaxScanState <= 64, "chunk_scan_kernel is instantiated for d_state up to 64");
  GM_CHECK(params.d_state >= 1 && params.d_state <= kMaxScanState,
           "selective_scan_cuda: d_state must be in 1..kMaxScanState");
  GM_CHECK(params.d_inner >= 1, "selective_scan_cuda: d_inner must be >= 1");
  if (params.n_tokens <= 0 || params.n_batch <= 0) return;
  GM_CHECK(params.ctx.workspace != nullptr &&
               params.ctx.workspace_bytes >=
                   static_cast<size_t>(scan_workspace_floats(params.n_batch, params.n_tokens, params.d_inner,
                                                             params.d_state)) *
                       sizeof(float),
           "selective_scan_cuda: ctx.workspace is missing or too small");
  ScanArgs args;
  args.p = params;
  args.n_chunks = scan_chunk_count(params.n_tokens);
  args.ws_state = static_cast<float*>(params.ctx.workspace);
  args.ws_dsum = args.ws_state + params.n_batch * args.n_chunks * params.d_state * params.d_inner;
  const auto stream = static_cast<cudaStream_t>(params.ctx.stream);
  if (params.d_state <= 16)
    launch<16>(args, stream);
  else if (params.d_state <= 32)
    launch<32>(args, stream);
  else
    launch<64>(args, stream);
}

}  // namespace genomamba::ops::cuda
