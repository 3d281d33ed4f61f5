// Mamba-1 selective scan on the CPU. OpenMP splits the channels into blocks of W; one thread walks all
// tokens of its block with the [N, W] state in a local array (token loop inside), so every output is
// computed by one thread in a fixed order whatever the thread count. Arithmetic is fp32, with the
// softplus threshold of PyTorch (20).
// This portable path is the fallback and the reference of the SIMD variants (selective_scan_avx2.cpp,
// selective_scan_avx512.cpp); selective_scan_cpu() picks one variant at run time (cpu_features.h).
#include <cmath>
#include <string>

#include "core/error.h"
#include "core/log.h"
#include "ops/cpu/cpu_ops.h"
#include "ops/cpu/simd_kernels.h"
#include "ops/scan_math.h"
#include "ops/selective_scan.h"

namespace genomamba::ops::cpu {
namespace {

constexpr int64_t kLanes = 8;  // channels per full block

using scan_math::gated_output;
using scan_math::scan_step;
using scan_math::softplus;

/// Scans channels d0..d0+W-1 over the whole tile.
template <int64_t W>
void scan_block(const SelectiveScanParams& p, int64_t d0) {
  const int64_t N = p.d_state;
  const int64_t Di = p.d_inner;
  float s[kMaxScanState][W];  // s: [N, W]
  float A[kMaxScanState][W];  // A: [N, W]
  float bias[W], Dskip[W], delta_sum[W] = {};
  for (int64_t j = 0; j < W; ++j) {
    for (int64_t n = 0; n < N; ++n) {
      s[n][j] = p.state[(d0 + j) * N + n];
      A[n][j] = p.A[(d0 + j) * N + n];
    }
    bias[j] = p.delta_bias[d0 + j];
    Dskip[j] = p.state_only ? 0.0f : p.D[d0 + j];
  }
  for (int64_t t = 0; t < p.n_tokens; ++t) {
    const float* dr = p.delta_raw + t * Di + d0;       // delta_raw: [W]
    const float* Ct = p.C + t * p.bc_stride;           // C: [N]
    const float* z = p.z + t * p.z_stride + d0;        // z: [W]
    float* out = p.out + t * p.out_stride + d0;        // out: [W]
    float delta[W], u[W], du[W], y[W];
    for (int64_t j = 0; j < W; ++j) {
      delta[j] = softplus(dr[j] + bias[j]);
      delta_sum[j] += delta[j];
      u[j] = p.state_only ? 0.0f : p.u[t * Di + d0 + j];
      du[j] = delta[j] * u[j];
      y[j] = 0.0f;
    }
    for (int64_t n = 0; n < N; ++n) {
      const float bn = p.state_only ? 0.0f : p.B[t * p.bc_stride + n], cn = Ct[n];
      for (int64_t j = 0; j < W; ++j) {
        s[n][j] = scan_step(s[n][j], delta[j], A[n][j], du[j], bn);
        y[j] += s[n][j] * cn;
      }
    }
    for (int64_t j = 0; j < W; ++j) {
      const float g = gated_output(y[j], Dskip[j], u[j], z[j]);
      out[j] = p.accumulate ? out[j] + g : g;
    }
  }
  for (int64_t j = 0; j < W; ++j)
    for (int64_t n = 0; n < N; ++n) p.state[(d0 + j) * N + n] = s[n][j];
  if (p.delta_sum)
    for (int64_t j = 0; j < W; ++j) p.delta_sum[d0 + j] += delta_sum[j];
}

}  // namespace

void selective_scan_portable(const SelectiveScanParams& p) {
  // Full blocks of kLanes channels, then the remaining channels one by one.
  const int64_t n_full = p.d_inner / kLanes;
  const int64_t n_blocks = n_full + p.d_inner % kLanes;
#pragma omp parallel for schedule(static)
  for (int64_t b = 0; b < n_blocks; ++b) {
    if (b < n_full)
      scan_block<kLanes>(p, b * kLanes);
    else
      scan_block<1>(p, n_full * kLanes + (b - n_full));
  }
}

#if !defined(GM_SIMD_X86)
// Builds without the x86 variant files: never called, since simd_supported() says no.
void selective_scan_avx2(const SelectiveScanParams&) { GM_CHECK(false, "no AVX2 variant in this build"); }
void selective_scan_avx512(const SelectiveScanParams&) { GM_CHECK(false, "no AVX-512 variant in this build"); }
void simd_math_avx2(SimdMathFn, const float*, float*, int64_t) { GM_CHECK(false, "no AVX2 variant in this build"); }
void simd_math_avx512(SimdMathFn, const float*, float*, int64_t) {
  GM_CHECK(false, "no AVX-512 variant in this build");
}
#endif

void selective_scan_cpu(const SelectiveScanParams& params, SimdLevel level) {
  GM_CHECK(simd_supported(level),
           std::string("selective_scan: the ") + simd_level_name(level) + " variant cannot run on this CPU or build");
  const auto variant = level == SimdLevel::AVX512 ? selective_scan_avx512
                       : level == SimdLevel::AVX2 ? selective_scan_avx2
                                                  : selective_scan_portable;
  SelectiveScanParams p = params;  // one sequence at a time
  p.n_batch = 1;
  for (int64_t item = 0; item < params.n_batch; ++item) {
    const int64_t u_at = item * params.u_batch_stride, bc_at = item * params.bc_batch_stride;
    if (params.u) p.u = params.u + u_at;
    p.delta_raw = params.delta_raw + u_at;
    if (params.B) p.B = params.B + bc_at;
    p.C = params.C + bc_at;
    p.z = params.z + item * params.z_batch_stride;
    p.out = params.out + item * params.out_batch_stride;
    p.state = params.state + item * params.state_batch_stride;
    if (params.delta_sum) p.delta_sum = params.delta_sum + item * params.delta_sum_batch_stride;
    variant(p);
  }
}

void selective_scan_cpu(const SelectiveScanParams& p) {
  static const SimdLevel level = [] {
    const SimdLevel chosen = active_simd_level();
    log::debug(std::string("selective_scan: ") + simd_level_name(chosen) + " variant");
    return chosen;
  }();
  selective_scan_cpu(p, level);
}

}  // namespace genomamba::ops::cpu
