#pragma once
// Naive float64 references of the ops and of one Mamba direction (model-spec §1), written for clarity,
// not speed. Every function takes contiguous row-major inputs in scan order and starts from zero state unless
// given one.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace genomamba::test {

using Vec = std::vector<double>;

/// `n` uniform values in [lo, hi) from a fixed seed.
inline std::vector<float> random_floats(size_t n, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

inline std::vector<float> to_float(const Vec& v) { return std::vector<float>(v.begin(), v.end()); }

inline double ref_softplus(double v) { return v > 20.0 ? v : std::log1p(std::exp(v)); }
inline double ref_silu(double v) { return v / (1.0 + std::exp(-v)); }

/// y[t, o] = sum_i x[t, i] w[o, i]; x: [T, I] (float or double), w: [O, I] -> [T, O]
template <class X>
Vec ref_linear(const std::vector<X>& x, const std::vector<float>& w, int64_t T, int64_t I, int64_t O) {
  Vec y(static_cast<size_t>(T * O), 0.0);
  for (int64_t t = 0; t < T; ++t)
    for (int64_t o = 0; o < O; ++o) {
      double acc = 0.0;
      for (int64_t i = 0; i < I; ++i) acc += static_cast<double>(x[t * I + i]) * w[o * I + i];
      y[t * O + o] = acc;
    }
  return y;
}

/// RMSNorm of each row of s: [T, D] -> [T, D]
inline Vec ref_rms_norm(const Vec& s, const std::vector<float>& w, int64_t T, int64_t D, double eps) {
  Vec out(s.size());
  for (int64_t t = 0; t < T; ++t) {
    double ss = 0.0;
    for (int64_t c = 0; c < D; ++c) ss += s[t * D + c] * s[t * D + c];
    const double rstd = 1.0 / std::sqrt(ss / static_cast<double>(D) + eps);
    for (int64_t c = 0; c < D; ++c) out[t * D + c] = s[t * D + c] * rstd * w[c];
  }
  return out;
}

/// SiLU(causal depthwise conv) over a whole sequence; x: [L, Di], w: [Di, K], bias: [Di] or empty.
inline Vec ref_causal_conv1d(const Vec& x, const std::vector<float>& w, const std::vector<float>& bias, int64_t L,
                             int64_t Di, int64_t K) {
  Vec out(static_cast<size_t>(L * Di));
  for (int64_t t = 0; t < L; ++t)
    for (int64_t d = 0; d < Di; ++d) {
      double c = bias.empty() ? 0.0 : bias[d];
      for (int64_t k = 0; k < K; ++k) {
        const int64_t src = t - (K - 1) + k;
        if (src >= 0) c += static_cast<double>(w[d * K + k]) * x[src * Di + d];
      }
      out[t * Di + d] = ref_silu(c);
    }
  return out;
}

/// Selective scan + D skip + SiLU(z) gate from zero state (model-spec §1.3).
/// u, delta_raw, z: [L, Di]; B, C: [L, N]; A: [Di, N]; delta_bias, D: [Di] -> y: [L, Di]
/// `h0` ([Di, N], or null for zero) is the state entering token 0; `final_state` ([Di, N]) receives the last.
inline Vec ref_selective_scan(const Vec& u, const Vec& delta_raw, const std::vector<float>& delta_bias,
                              const std::vector<float>& A, const Vec& B, const Vec& C, const std::vector<float>& D,
                              const Vec& z, int64_t L, int64_t Di, int64_t N, const Vec* h0 = nullptr,
                              Vec* final_state = nullptr) {
  Vec y(static_cast<size_t>(L * Di));
  if (final_state) final_state->assign(static_cast<size_t>(Di * N), 0.0);
  for (int64_t d = 0; d < Di; ++d) {
    Vec s(static_cast<size_t>(N), 0.0);
    if (h0) std::copy_n(h0->begin() + d * N, N, s.begin());
    for (int64_t t = 0; t < L; ++t) {
      const double delta = ref_softplus(delta_raw[t * Di + d] + delta_bias[d]);
      double acc = 0.0;
      for (int64_t n = 0; n < N; ++n) {
        s[n] = std::exp(delta * A[d * N + n]) * s[n] + delta * B[t * N + n] * u[t * Di + d];
        acc += s[n] * C[t * N + n];
      }
      acc += D[d] * u[t * Di + d];
      y[t * Di + d] = acc * ref_silu(z[t * Di + d]);
    }
    if (final_state) std::copy_n(s.begin(), N, final_state->begin() + d * N);
  }
  return y;
}

}  // namespace genomamba::test
