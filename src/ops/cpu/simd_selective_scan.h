#pragma once
// The selective scan of the SIMD variants, written once over a vector-ops type V (see simd_math.h) and
// instantiated by selective_scan_avx2.cpp (8 channels per vector) and selective_scan_avx512.cpp (16).
//
// Layout (performance.md §6.4, "state-outer, token-inner"): the channels form blocks of one vector (the last
// block is masked when d_inner is not a multiple of the lanes), and each thread owns a fixed range of blocks.
// A thread walks the tokens in tiles of kTokenTile and, per tile, each of its blocks in turn: delta, delta*u
// and the partial y of the tile ([tile, lanes]) stay in L1, and the states are swept in groups of G whose
// state vectors and A*log2(e) stay in registers while the token loop runs over the tile. Each step is then
// exp2 + 2 FMA + 1 multiply per state, vectorised across channels, with no horizontal sums. y[t] accumulates
// over n in the order of the portable path; delta_sum is summed per token tile first, so it differs from the
// portable path's running sum by rounding. Every output is computed by one thread in a fixed order, whatever
// the thread count. The block states live between tiles in one buffer, [blocks][2][N, lanes].
// Internal linkage on purpose: see simd_math.h.
#include <cstdint>

#include "ops/cpu/simd_math.h"
#include "ops/selective_scan_params.h"

namespace genomamba::ops::cpu::simd {
namespace {

constexpr int64_t kTokenTile = 64;

/// The per-tile scratch of one channel block, [kTokenTile, W] each.
template <int W>
struct ScanTile {
  alignas(64) float delta[kTokenTile * W];
  alignas(64) float du[kTokenTile * W];  // delta * u
  alignas(64) float y[kTokenTile * W];   // sum_n s[n] * C[n], built up over the state groups
};

/// Advances G states (s, a2: [G, W]) over the n_tok tokens of a tile, adding s * C to the tile's y.
/// B and C point at the tile's first token and the group's first state; rows are bc_stride apart.
template <class V, int G>
inline void scan_state_group(ScanTile<V::kLanes>& tile, int64_t n_tok, const float* B, const float* C,
                             int64_t bc_stride, float* s, const float* a2) {
  constexpr int W = V::kLanes;
  typename V::F sv[G], av[G];
  for (int g = 0; g < G; ++g) sv[g] = V::loadu(s + g * W), av[g] = V::loadu(a2 + g * W);
  for (int64_t t = 0; t < n_tok; ++t) {
    const typename V::F dt = V::load(tile.delta + t * W);
    const typename V::F dut = V::load(tile.du + t * W);
    const float* Bt = B + t * bc_stride;
    const float* Ct = C + t * bc_stride;
    typename V::F acc = V::load(tile.y + t * W);
    for (int g = 0; g < G; ++g) {
      const typename V::F decay = exp2_scan<V>(V::mul(dt, av[g]));
      sv[g] = V::fmadd(decay, sv[g], V::mul(dut, V::set1(Bt[g])));
      acc = V::fmadd(sv[g], V::set1(Ct[g]), acc);
    }
    V::store(tile.y + t * W, acc);
  }
  for (int g = 0; g < G; ++g) V::storeu(s + g * W, sv[g]);
}

/// Moves the state of one block between p.state ([Di, N]) and st (s then A * log2(e), [N, W] each, channels
/// across lanes; idle lanes of a masked block hold 0 and stay finite).
template <int W>
void load_block_state(const SelectiveScanParams& p, int64_t d0, int64_t width, float* st) {
  const int64_t N = p.d_state;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t j = 0; j < W; ++j) {
      const bool on = j < width;
      st[n * W + j] = on ? p.state[(d0 + j) * N + n] : 0.0f;
      const int64_t at = (d0 + j) * N + n;
      st[(N + n) * W + j] = !on ? 0.0f : p.A_log2e ? p.A_log2e[at] : p.A[at] * 0x1.715476p+0f;
    }
}

template <int W>
void store_block_state(const SelectiveScanParams& p, int64_t d0, int64_t width, const float* st) {
  const int64_t N = p.d_state;
  for (int64_t j = 0; j < width; ++j)
    for (int64_t n = 0; n < N; ++n) p.state[(d0 + j) * N + n] = st[n * W + j];
}

/// Scans channels d0 .. d0 + width - 1 (width == W unless masked) over tokens t0 .. t0 + n_tok - 1.
template <class V, int G, bool kMasked>
void scan_block_tile(const SelectiveScanParams& p, int64_t d0, int64_t width, int64_t t0, int64_t n_tok, float* st,
                     ScanTile<V::kLanes>& tile) {
  constexpr int W = V::kLanes;
  const int64_t N = p.d_state, Di = p.d_inner;
  [[maybe_unused]] const typename V::Mask mask = V::lane_mask(width);
  const auto load = [&](const float* ptr) {
    if constexpr (kMasked) return V::loadu_mask(ptr, mask);
    else return V::loadu(ptr);
  };
  const auto store = [&](float* ptr, typename V::F v) {
    if constexpr (kMasked) V::storeu_mask(ptr, v, mask);
    else V::storeu(ptr, v);
  };

  const typename V::F bias = load(p.delta_bias + d0);
  typename V::F delta_sum = V::set1(0.0f);
  for (int64_t t = 0; t < n_tok; ++t) {
    const typename V::F delta = softplus<V>(V::add(load(p.delta_raw + (t0 + t) * Di + d0), bias));
    delta_sum = V::add(delta_sum, delta);
    V::store(tile.delta + t * W, delta);
    V::store(tile.du + t * W, p.state_only ? V::set1(0.0f) : V::mul(delta, load(p.u + (t0 + t) * Di + d0)));
    V::store(tile.y + t * W, V::set1(0.0f));
  }
  if (p.delta_sum) store(p.delta_sum + d0, V::add(load(p.delta_sum + d0), delta_sum));
  // The correction pass (state_only) may give no B: du is zero there, so C stands in for it (finite, times 0).
  const float* B = (p.B ? p.B : p.C) + t0 * p.bc_stride;
  const float* C = p.C + t0 * p.bc_stride;
  float* s = st;
  const float* a2 = st + N * W;
  int64_t n = 0;
  for (; n + G <= N; n += G) scan_state_group<V, G>(tile, n_tok, B + n, C + n, p.bc_stride, s + n * W, a2 + n * W);
  if constexpr (G > 4)
    for (; n + 4 <= N; n += 4) scan_state_group<V, 4>(tile, n_tok, B + n, C + n, p.bc_stride, s + n * W, a2 + n * W);
  for (; n + 2 <= N; n += 2) scan_state_group<V, 2>(tile, n_tok, B + n, C + n, p.bc_stride, s + n * W, a2 + n * W);
  for (; n < N; ++n) scan_state_group<V, 1>(tile, n_tok, B + n, C + n, p.bc_stride, s + n * W, a2 + n * W);
  const typename V::F dskip = p.state_only ? V::set1(0.0f) : load(p.D + d0);
  for (int64_t t = 0; t < n_tok; ++t) {
    const typename V::F u = p.state_only ? V::set1(0.0f) : load(p.u + (t0 + t) * Di + d0);
    const typename V::F gate = silu<V>(load(p.z + (t0 + t) * p.z_stride + d0));
    typename V::F g = V::mul(V::fmadd(dskip, u, V::load(tile.y + t * W)), gate);
    float* out = p.out + (t0 + t) * p.out_stride + d0;
    if (p.accumulate) g = V::add(load(out), g);
    store(out, g);
  }
}

/// The whole op. Each thread owns a fixed range of channel blocks (schedule(static) over the same count
/// gives every loop below the same split) and walks the token tiles outermost, so that its blocks read
/// adjacent parts of the same rows of u, delta_raw, z and out while B and C of the tile stay in L1.
template <class V, int G>
void selective_scan(const SelectiveScanParams& p) {
  constexpr int64_t W = V::kLanes;
  const int64_t N = p.d_state;
  const int64_t n_blocks = (p.d_inner + W - 1) / W;
  const auto width_of = [&](int64_t b) { return p.d_inner - b * W < W ? p.d_inner - b * W : W; };
  float* const states = new float[n_blocks * 2 * N * W];  // per block: s, A * log2(e)
#pragma omp parallel
  {
    ScanTile<W> tile;
#pragma omp for schedule(static) nowait
    for (int64_t b = 0; b < n_blocks; ++b) load_block_state<W>(p, b * W, width_of(b), states + b * 2 * N * W);
    for (int64_t t0 = 0; t0 < p.n_tokens; t0 += kTokenTile) {
      const int64_t n_tok = p.n_tokens - t0 < kTokenTile ? p.n_tokens - t0 : kTokenTile;
#pragma omp for schedule(static) nowait
      for (int64_t b = 0; b < n_blocks; ++b) {
        if (width_of(b) == W)
          scan_block_tile<V, G, false>(p, b * W, W, t0, n_tok, states + b * 2 * N * W, tile);
        else
          scan_block_tile<V, G, true>(p, b * W, width_of(b), t0, n_tok, states + b * 2 * N * W, tile);
      }
    }
#pragma omp for schedule(static) nowait
    for (int64_t b = 0; b < n_blocks; ++b) store_block_state<W>(p, b * W, width_of(b), states + b * 2 * N * W);
  }
  delete[] states;
}

}  // namespace
}  // namespace genomamba::ops::cpu::simd
