// The chunk decomposition of the selective scan done on the host with the scan_math functions the CUDA kernels
// use (src/ops/scan_math.h; kernels/selective_scan.cu): scan each chunk on its own, compose the chunks'
// (ΣΔ, end state) summaries with compose_step, correct every chunk with the state entering it. It must equal
// the sequential scan_step recurrence: this checks the kernel's algorithm where no GPU is.
// Needs only scan_math.h and the header-only tensor_compare.h.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "ops/scan_math.h"
#include "support/tensor_compare.h"

namespace sm = genomamba::ops::scan_math;

namespace {

/// One channel-parallel problem: T tokens, Di channels, N states, in scan order.
struct Problem {
  int64_t T, Di, N;
  std::vector<float> u, delta_raw, bias, A, B, C, D, z, h0;

  Problem(int64_t T_, int64_t Di_, int64_t N_, uint32_t seed) : T(T_), Di(Di_), N(N_) {
    std::mt19937 rng(seed);
    auto uniform = [&](size_t n, float lo, float hi) {
      std::uniform_real_distribution<float> dist(lo, hi);
      std::vector<float> v(n);
      for (auto& e : v) e = dist(rng);
      return v;
    };
    u = uniform(T * Di, -2.0f, 2.0f);
    delta_raw = uniform(T * Di, -4.0f, 0.0f);
    if (T > 3) delta_raw[3 * Di] = 25.0f;  // above the softplus threshold
    bias = uniform(Di, -3.0f, -1.0f);
    A = uniform(Di * N, -2.0f, -0.05f);  // slow and fast decays: chunk boundaries carry real state
    B = uniform(T * N, -1.0f, 1.0f);
    C = uniform(T * N, -1.0f, 1.0f);
    D = uniform(Di, -1.0f, 1.0f);
    z = uniform(T * Di, -3.0f, 3.0f);
    h0 = uniform(Di * N, -1.0f, 1.0f);
  }

  float delta(int64_t t, int64_t d) const { return sm::softplus(delta_raw[t * Di + d] + bias[d]); }

  /// Tokens [t0, t1) of channel d from state s (updated): y added to out; u and the D skip are zero when
  /// `decay_only` (the correction pass). Returns ΣΔ.
  float walk(int64_t d, int64_t t0, int64_t t1, float* s, bool decay_only, std::vector<float>& out) const {
    float delta_sum = 0.0f;
    for (int64_t t = t0; t < t1; ++t) {
      const float dt = delta(t, d);
      delta_sum += dt;
      const float ut = decay_only ? 0.0f : u[t * Di + d];
      float y = 0.0f;
      for (int64_t n = 0; n < N; ++n) {
        s[n] = sm::scan_step(s[n], dt, A[d * N + n], dt * ut, decay_only ? 0.0f : B[t * N + n]);
        y += s[n] * C[t * N + n];
      }
      out[t * Di + d] += sm::gated_output(y, decay_only ? 0.0f : D[d], ut, z[t * Di + d]);
    }
    return delta_sum;
  }

  /// The sequential recurrence: out, final state, ΣΔ.
  void sequential(std::vector<float>& out, std::vector<float>& state, std::vector<float>& delta_sum) const {
    out.assign(T * Di, 0.0f);
    state = h0;
    delta_sum.assign(Di, 0.0f);
    for (int64_t d = 0; d < Di; ++d) delta_sum[d] = walk(d, 0, T, &state[d * N], false, out);
  }

  /// The kernel's algorithm with chunks of Q tokens. seed_first: chunk 0 starts from h0 (as the kernel does),
  /// else every chunk starts from zero and h0 enters through the composition and the correction.
  void chunked(int64_t Q, bool seed_first, std::vector<float>& out, std::vector<float>& state,
               std::vector<float>& delta_sum) const {
    const int64_t K = (T + Q - 1) / Q;
    out.assign(T * Di, 0.0f);
    std::vector<float> S(K * Di * N, 0.0f), dsum(K * Di, 0.0f);  // S_k: [K, Di, N], ΣΔ_k: [K, Di]
    // 1. every chunk on its own
    for (int64_t k = 0; k < K; ++k)
      for (int64_t d = 0; d < Di; ++d) {
        float* s = &S[(k * Di + d) * N];
        if (k == 0 && seed_first)
          for (int64_t n = 0; n < N; ++n) s[n] = h0[d * N + n];
        dsum[k * Di + d] = walk(d, k * Q, std::min(T, (k + 1) * Q), s, false, out);
      }
    // 2. compose: incoming[k] = the state entering chunk k
    std::vector<float> incoming(K * Di * N, 0.0f);
    state.assign(Di * N, 0.0f);
    delta_sum.assign(Di, 0.0f);
    for (int64_t d = 0; d < Di; ++d)
      for (int64_t n = 0; n < N; ++n) {
        const float a = A[d * N + n];
        float h = seed_first ? 0.0f : h0[d * N + n];
        for (int64_t k = 0; k < K; ++k) {
          incoming[(k * Di + d) * N + n] = h;
          h = sm::compose_step(h, a, dsum[k * Di + d], S[(k * Di + d) * N + n]);
        }
        state[d * N + n] = h;
      }
    for (int64_t d = 0; d < Di; ++d)
      for (int64_t k = 0; k < K; ++k) delta_sum[d] += dsum[k * Di + d];
    // 3. correct every chunk that did not start from its true state
    for (int64_t k = seed_first ? 1 : 0; k < K; ++k)
      for (int64_t d = 0; d < Di; ++d) {
        std::vector<float> s(&incoming[(k * Di + d) * N], &incoming[(k * Di + d) * N] + N);
        walk(d, k * Q, std::min(T, (k + 1) * Q), s.data(), true, out);
      }
  }
};

}  // namespace

TEST_CASE("scan_math: the chunk decomposition equals the sequential scan", "[ops][scan_math]") {
  const int64_t T = GENERATE(1, 37, 200);
  const int64_t Q = GENERATE(1, 4, 16, 64, 256);  // 1..200 chunks, the last one short
  const bool seed_first = GENERATE(true, false);
  CAPTURE(T, Q, seed_first);
  const Problem pr(T, 6, 5, static_cast<uint32_t>(T));
  std::vector<float> out_seq, state_seq, ds_seq, out_chunk, state_chunk, ds_chunk;
  pr.sequential(out_seq, state_seq, ds_seq);
  pr.chunked(Q, seed_first, out_chunk, state_chunk, ds_chunk);
  CHECK(genomamba::test::relative_error(out_chunk, out_seq) <= 1e-5);
  CHECK(genomamba::test::relative_error(state_chunk, state_seq) <= 1e-5);
  CHECK(genomamba::test::relative_error(ds_chunk, ds_seq) <= 1e-5);
}

TEST_CASE("scan_math: compose_step chains the affine maps of two chunks", "[ops][scan_math]") {
  // Scanning chunk a then chunk b from h equals composing b's summary onto the state after a.
  const float h = 0.7f, a = -0.9f;
  float s = h, sa = 0.0f, sb = 0.0f, dsa = 0.0f, dsb = 0.0f;
  const float deltas[] = {0.3f, 0.05f, 1.2f, 0.4f, 0.02f}, bu[] = {0.5f, -1.0f, 0.25f, 2.0f, -0.3f};
  for (int t = 0; t < 5; ++t) {
    s = sm::scan_step(s, deltas[t], a, bu[t], 1.0f);
    if (t < 2)
      sa = sm::scan_step(sa, deltas[t], a, bu[t], 1.0f), dsa += deltas[t];
    else
      sb = sm::scan_step(sb, deltas[t], a, bu[t], 1.0f), dsb += deltas[t];
  }
  const float composed = sm::compose_step(sm::compose_step(h, a, dsa, sa), a, dsb, sb);
  CHECK(std::fabs(composed - s) <= 1e-6f * std::fabs(s) + 1e-7f);
  CHECK(sm::softplus(30.0f) == 30.0f);
  CHECK(std::fabs(sm::softplus(0.0f) - std::log(2.0f)) <= 1e-6f);
  CHECK(std::fabs(sm::silu(1.0f) - 1.0f / (1.0f + std::exp(-1.0f))) <= 1e-6f);
}
