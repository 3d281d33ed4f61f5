#include "model/device_weights.h"

#include <algorithm>
#include <cmath>

namespace genomamba::model {
namespace {

/// conv weights [Di, K] by tap: [K, Di].
std::vector<float> by_tap(const std::vector<float>& weight, int64_t Di, int64_t K) {
  std::vector<float> out(weight.size());
  for (int64_t d = 0; d < Di; ++d)
    for (int64_t k = 0; k < K; ++k) out[k * Di + d] = weight[d * K + k];
  return out;
}

std::vector<float> times_log2e(const std::vector<float>& A) {
  std::vector<float> out(A.size());
  for (size_t i = 0; i < A.size(); ++i) out[i] = A[i] * 0x1.715476p+0f;  // the SIMD scan's exp2 argument
  return out;
}

DirectionTensors place_direction(const MambaDirectionWeights& w, const io::ModelConfig& c, core::Arena& arena) {
  DirectionTensors t;
  t.conv_weight = arena.put(w.conv_weight);
  t.conv_weight_by_tap = arena.put(by_tap(w.conv_weight, c.d_inner, c.d_conv));
  t.conv_bias = arena.put(w.conv_bias);
  t.x_proj = arena.put(w.x_proj);
  t.dt_proj = arena.put(w.dt_proj);
  t.dt_bias = arena.put(w.dt_bias);
  t.A = arena.put(w.A);
  t.A_log2e = arena.put(times_log2e(w.A));
  t.D = arena.put(w.D);
  return t;
}

}  // namespace

DeviceWeights::DeviceWeights(const CaduceusWeights& weights, core::Device device) : config_(weights.config) {
  core::Arena measure;
  place(weights, measure);
  arena_ = core::Arena(device, measure.used_floats());
  place(weights, arena_);
}

size_t DeviceWeights::bytes_for(const CaduceusWeights& weights) {
  DeviceWeights layout;
  core::Arena measure;
  layout.place(weights, measure);
  return measure.used_bytes();
}

void DeviceWeights::place(const CaduceusWeights& w, core::Arena& arena) {
  const io::ModelConfig& c = w.config;
  const int64_t D = c.d_model, V = c.vocab_size;
  layers_.clear();
  for (const LayerWeights& lw : w.layers) {
    LayerTensors t;
    t.norm = arena.put(lw.norm);
    t.in_proj = arena.put(lw.in_proj);
    t.out_proj = arena.put(lw.out_proj);
    t.fwd = place_direction(lw.fwd, c, arena);
    t.rev = place_direction(lw.rev, c, arena);
    layers_.push_back(t);
  }
  embedding_ = arena.put(w.embedding);
  std::vector<float> complemented(w.embedding.size());  // row v = E[comp v]: the LM head of the RC stream
  for (int64_t v = 0; v < V; ++v) {
    const int64_t from = c.complement_map[static_cast<size_t>(v)];
    std::copy_n(w.embedding.begin() + from * D, D, complemented.begin() + v * D);
  }
  embedding_complement_ = arena.put(complemented);
  norm_f_ = arena.put(w.norm_f);
  const std::vector<int32_t> complement(c.complement_map.begin(), c.complement_map.end());
  complement_ = arena.put(complement);
}

}  // namespace genomamba::model
