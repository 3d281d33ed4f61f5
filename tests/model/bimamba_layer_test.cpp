#include <catch2/catch.hpp>

#include <optional>

#include "core/arena.h"
#include "core/error.h"
#include "model/bimamba_layer.h"
#include "model/device_weights.h"
#include "random_weights.h"
#include "support/reference.h"
#include "support/tensor_compare.h"

using namespace genomamba;
using test::Vec;

namespace {

/// One direction of the Mamba inner path in float64 (model-spec §1.2 steps 2-6) on x, z in scan order.
Vec ref_direction(const model::MambaDirectionWeights& w, const io::ModelConfig& c, const Vec& x, const Vec& z,
                  int64_t L) {
  const int64_t Di = c.d_inner, N = c.d_state, R = c.dt_rank, W = R + 2 * N;
  const Vec u = test::ref_causal_conv1d(x, w.conv_weight, w.conv_bias, L, Di, c.d_conv);
  const Vec x_dbl = test::ref_linear(u, w.x_proj, L, Di, W);  // [L, R + 2N]
  Vec dt(L * R), B(L * N), C(L * N);
  for (int64_t t = 0; t < L; ++t) {
    for (int64_t r = 0; r < R; ++r) dt[t * R + r] = x_dbl[t * W + r];
    for (int64_t n = 0; n < N; ++n) B[t * N + n] = x_dbl[t * W + R + n], C[t * N + n] = x_dbl[t * W + R + N + n];
  }
  const Vec delta_raw = test::ref_linear(dt, w.dt_proj, L, R, Di);
  return test::ref_selective_scan(u, delta_raw, w.dt_bias, w.A, B, C, w.D, z, L, Di, N);
}

/// The BiMamba mixer in float64, written the literal way: out = M_fwd(h) + flip(M_rev(flip(h))).
Vec ref_bimamba(const model::LayerWeights& w, const io::ModelConfig& c, const std::vector<float>& h, int64_t L) {
  const int64_t D = c.d_model, Di = c.d_inner;
  const Vec xz = test::ref_linear(h, w.in_proj, L, D, 2 * Di);
  Vec out(L * D, 0.0);
  for (bool reverse : {false, true}) {
    Vec x(L * Di), z(L * Di);
    for (int64_t t = 0; t < L; ++t) {
      const int64_t row = reverse ? L - 1 - t : t;
      for (int64_t d = 0; d < Di; ++d) x[t * Di + d] = xz[row * 2 * Di + d], z[t * Di + d] = xz[row * 2 * Di + Di + d];
    }
    const Vec y = ref_direction(reverse ? w.rev : w.fwd, c, x, z, L);
    Vec y_seq(L * Di);
    for (int64_t t = 0; t < L; ++t)
      for (int64_t d = 0; d < Di; ++d) y_seq[(reverse ? L - 1 - t : t) * Di + d] = y[t * Di + d];
    const Vec o = test::ref_linear(y_seq, w.out_proj, L, Di, D);
    for (size_t i = 0; i < out.size(); ++i) out[i] += o[i];
  }
  return out;
}

/// One layer's weights on the CPU and a mixer scratch for (batch, max_tokens, tile), as the engine holds them.
struct LayerOnCpu {
  model::CaduceusWeights weights;
  model::DeviceWeights device;
  core::Arena arena;
  std::optional<model::MixerScratch> scratch;

  LayerOnCpu(const io::ModelConfig& c, uint32_t seed, const model::MixerShape& shape)
      : weights(test::random_weights(c, seed)), device(weights, core::Device::cpu()) {
    core::Arena measure;
    model::MixerScratch(c, shape, measure);
    arena = core::Arena(core::Device::cpu(), measure.used_floats());
    scratch.emplace(c, shape, arena);
  }
  void forward(const float* in, float* out, int64_t batch, int64_t L) {
    model::bimamba_forward(device.layer(0), weights.config, ops::ExecContext{}, in, out, batch, L, *scratch);
  }
};

model::MixerShape shape_of(int64_t batch, int64_t max_tokens, int64_t tile, bool streaming = false) {
  model::MixerShape shape;
  shape.batch = batch, shape.max_tokens = max_tokens, shape.tile = tile, shape.streaming = streaming;
  return shape;
}

}  // namespace

TEST_CASE("bimamba_forward: matches the literal float64 BiMamba across tile sizes", "[model]") {
  // Odd sizes: d_inner 60 is not a multiple of the scan's channel block, d_conv 3, dt_rank 3.
  const io::ModelConfig c = test::random_config(20, 1, 6, 3, 3, 3, false);
  const int64_t L = 41;
  const auto h = test::random_floats(L * c.d_model, 8, -2.0f, 2.0f);
  for (int64_t tile : {int64_t{1}, int64_t{3}, int64_t{16}, L, int64_t{1000}}) {
    for (bool streaming : {false, true}) {
      INFO("tile " << tile << " streaming " << streaming);
      LayerOnCpu layer(c, 7, shape_of(1, L, tile, streaming));
      const auto ref = test::to_float(ref_bimamba(layer.weights.layers[0], c, h, L));
      std::vector<float> out = h, other(h.size());
      layer.forward(out.data(), streaming ? other.data() : out.data(), 1, L);  // in place unless streaming
      CHECK(test::relative_error(streaming ? other : out, ref) <= 1e-5);
    }
  }
}

TEST_CASE("bimamba_forward: a batch of sequences gives each sequence's own result", "[model]") {
  const io::ModelConfig c = test::random_config(16, 1, 4, 4, 2, 1, false);
  const int64_t B = 3, L = 23;
  for (bool streaming : {false, true}) {
    INFO("streaming " << streaming);
    LayerOnCpu layer(c, 12, shape_of(B, L, 8, streaming));
    const auto h = test::random_floats(B * L * c.d_model, 13);
    std::vector<float> out(h.size());
    layer.forward(h.data(), out.data(), B, L);
    for (int64_t b = 0; b < B; ++b) {
      const std::vector<float> one(h.begin() + b * L * c.d_model, h.begin() + (b + 1) * L * c.d_model);
      const std::vector<float> got(out.begin() + b * L * c.d_model, out.begin() + (b + 1) * L * c.d_model);
      CHECK(test::relative_error(got, test::to_float(ref_bimamba(layer.weights.layers[0], c, one, L))) <= 1e-5);
    }
  }
}

TEST_CASE("bimamba_forward: scratch is reusable across layers and shorter sequences", "[model]") {
  const io::ModelConfig c = test::random_config(16, 1, 4, 4, 2, 1, false);
  LayerOnCpu layer(c, 9, shape_of(1, 30, 8));
  const model::LayerWeights& w = layer.weights.layers[0];
  const auto h_long = test::random_floats(30 * c.d_model, 10);
  std::vector<float> out_long(h_long.size());
  layer.forward(h_long.data(), out_long.data(), 1, 30);
  const auto h = test::random_floats(11 * c.d_model, 11);
  std::vector<float> out(h.size());
  layer.forward(h.data(), out.data(), 1, 11);
  CHECK(test::relative_error(out, test::to_float(ref_bimamba(w, c, h, 11))) <= 1e-5);
  layer.forward(h.data(), out.data(), 1, 0);  // L = 0 is a no-op
  CHECK_THROWS_AS(layer.forward(h.data(), out.data(), 1, 31), InternalError);
  CHECK_THROWS_AS(layer.forward(h.data(), out.data(), 2, 11), InternalError);
}
