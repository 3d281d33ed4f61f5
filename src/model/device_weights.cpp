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

/// A tensor the kernels take as loaded: on the CPU the engine reads the model's own copy in place; on a GPU it
/// is uploaded into the arena.
const float* share(const std::vector<float>& host, core::Device device, core::Arena& arena) {
  return device.is_cpu() ? host.data() : arena.put(host);
}

DirectionTensors place_direction(const MambaDirectionWeights& w, const io::ModelConfig& c, core::Device device,
                                 core::Arena& arena) {
  DirectionTensors t;
  t.conv_weight = share(w.conv_weight, device, arena);
  t.conv_weight_by_tap = arena.put(by_tap(w.conv_weight, c.d_inner, c.d_conv));
  t.conv_bias = share(w.conv_bias, device, arena);
  t.x_proj = share(w.x_proj, device, arena);
  t.dt_proj = share(w.dt_proj, device, arena);
  t.dt_bias = share(w.dt_bias, device, arena);
  t.A = share(w.A, device, arena);
  t.A_log2e = arena.put(times_log2e(w.A));
  t.D = share(w.D, device, arena);
  return t;
}

}  // namespace

DeviceWeights::DeviceWeights(const CaduceusWeights& weights, core::Device device) : config_(weights.config) {
  core::Arena measure;
  place(weights, device, measure);
  arena_ = core::Arena(device, measure.used_floats());
  place(weights, device, arena_);
}

size_t DeviceWeights::bytes_for(const CaduceusWeights& weights, core::Device device) {
  DeviceWeights layout;
  core::Arena measure;
  layout.place(weights, device, measure);
  return measure.used_bytes();
}

void DeviceWeights::place(const CaduceusWeights& w, core::Device device, core::Arena& arena) {
  const io::ModelConfig& c = w.config;
  const int64_t D = c.d_model, V = c.vocab_size;
  layers_.clear();
  for (const LayerWeights& lw : w.layers) {
    LayerTensors t;
    t.norm = share(lw.norm, device, arena);
    t.in_proj = share(lw.in_proj, device, arena);
    t.out_proj = share(lw.out_proj, device, arena);
    t.fwd = place_direction(lw.fwd, c, device, arena);
    t.rev = place_direction(lw.rev, c, device, arena);
    layers_.push_back(t);
  }
  embedding_ = share(w.embedding, device, arena);
  std::vector<float> complemented(w.embedding.size());  // row v = E[comp v]: the LM head of the RC stream
  for (int64_t v = 0; v < V; ++v) {
    const int64_t from = c.complement_map[static_cast<size_t>(v)];
    std::copy_n(w.embedding.begin() + from * D, D, complemented.begin() + v * D);
  }
  embedding_complement_ = arena.put(complemented);
  norm_f_ = share(w.norm_f, device, arena);
  const std::vector<int32_t> complement(c.complement_map.begin(), c.complement_map.end());
  complement_ = arena.put(complement);
}

}  // namespace genomamba::model
