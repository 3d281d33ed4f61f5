#pragma once
// Random Caduceus weights with Mamba-like initialization (model-spec §2.7), for tests that need shapes
// the fixtures do not have.
#include <cmath>
#include <cstdint>

#include "model/weights.h"
#include "support/reference.h"

namespace genomamba::test {

/// A config with the 16-token Caduceus vocabulary and complement map.
inline io::ModelConfig random_config(int d_model, int n_layer, int d_state, int d_conv, int expand, int dt_rank,
                                     bool rcps) {
  io::ModelConfig c;
  c.d_model = d_model, c.n_layer = n_layer, c.vocab_size = 16, c.d_state = d_state, c.d_conv = d_conv;
  c.expand = expand, c.d_inner = expand * d_model, c.dt_rank = dt_rank, c.rcps = rcps;
  c.complement_map = {0, 1, 2, 3, 4, 5, 6, 10, 9, 8, 7, 11, 12, 13, 14, 15};
  return c;
}

inline model::MambaDirectionWeights random_direction(const io::ModelConfig& c, uint32_t seed) {
  const int64_t Di = c.d_inner, N = c.d_state, R = c.dt_rank, K = c.d_conv;
  model::MambaDirectionWeights w;
  w.conv_weight = random_floats(Di * K, seed + 1, -0.5f, 0.5f);
  w.conv_bias = random_floats(Di, seed + 2, -0.5f, 0.5f);
  const float xs = 1.0f / std::sqrt(static_cast<float>(Di));
  w.x_proj = random_floats((R + 2 * N) * Di, seed + 3, -xs, xs);
  const float ds = 1.0f / std::sqrt(static_cast<float>(R));
  w.dt_proj = random_floats(Di * R, seed + 4, -ds, ds);
  // dt_bias = softplus^-1(dt), dt log-uniform in [0.001, 0.1]
  const auto u = random_floats(Di, seed + 5, 0.0f, 1.0f);
  w.dt_bias.resize(Di);
  for (int64_t d = 0; d < Di; ++d) {
    const float dt = std::exp(std::log(0.001f) + u[d] * (std::log(0.1f) - std::log(0.001f)));
    w.dt_bias[d] = dt + std::log(-std::expm1(-dt));
  }
  const auto noise = random_floats(Di * N, seed + 6, -0.3f, 0.3f);
  w.A.resize(Di * N);
  for (int64_t d = 0; d < Di; ++d)
    for (int64_t n = 0; n < N; ++n) w.A[d * N + n] = -std::exp(std::log(static_cast<float>(n + 1)) + noise[d * N + n]);
  w.D = random_floats(Di, seed + 7, 0.5f, 1.5f);
  return w;
}

inline model::LayerWeights random_layer(const io::ModelConfig& c, uint32_t seed) {
  const int64_t D = c.d_model, Di = c.d_inner;
  model::LayerWeights w;
  w.norm = random_floats(D, seed + 10, 0.8f, 1.2f);
  const float is = 1.0f / std::sqrt(static_cast<float>(D)), os = 1.0f / std::sqrt(static_cast<float>(Di));
  w.in_proj = random_floats(2 * Di * D, seed + 11, -is, is);
  w.out_proj = random_floats(D * Di, seed + 12, -os, os);
  w.fwd = random_direction(c, seed + 20);
  w.rev = random_direction(c, seed + 40);
  return w;
}

inline model::CaduceusWeights random_weights(const io::ModelConfig& c, uint32_t seed) {
  model::CaduceusWeights w;
  w.config = c;
  w.embedding = random_floats(int64_t{c.vocab_size} * c.d_model, seed, -1.0f, 1.0f);
  w.norm_f = random_floats(c.d_model, seed + 1, 0.8f, 1.2f);
  for (int i = 0; i < c.n_layer; ++i) w.layers.push_back(random_layer(c, seed + 100 * static_cast<uint32_t>(i + 1)));
  return w;
}

}  // namespace genomamba::test
