#pragma once
/// The weights of a model on the engine's device: uploaded once into one arena, with what the kernels want
/// prepared once (the conv weights by tap, A * log2(e), the complemented embedding of the PS LM head) instead of
/// on every call. On the CPU the tensors the kernels take as loaded are not copied: the engine reads the
/// model's own (so `weights` must outlive this object there); the arena holds only the prepared ones.
#include <cstdint>
#include <vector>

#include "core/arena.h"
#include "model/weights.h"

namespace genomamba::model {

/// One direction of a BiMamba layer, on the device.
struct DirectionTensors {
  const float* conv_weight = nullptr;         ///< [Di, K]
  const float* conv_weight_by_tap = nullptr;  ///< [K, Di]
  const float* conv_bias = nullptr;           ///< [Di]
  const float* x_proj = nullptr;              ///< [R + 2N, Di]
  const float* dt_proj = nullptr;             ///< [Di, R]
  const float* dt_bias = nullptr;             ///< [Di]
  const float* A = nullptr;                   ///< [Di, N]
  const float* A_log2e = nullptr;             ///< [Di, N]
  const float* D = nullptr;                   ///< [Di]
};

/// One BiMamba layer, on the device.
struct LayerTensors {
  const float* norm = nullptr;      ///< [D]
  const float* in_proj = nullptr;   ///< [2Di, D]
  const float* out_proj = nullptr;  ///< [D, Di]
  DirectionTensors fwd, rev;
};

class DeviceWeights {
 public:
  DeviceWeights(const CaduceusWeights& weights, core::Device device);
  DeviceWeights(const DeviceWeights&) = delete;
  DeviceWeights& operator=(const DeviceWeights&) = delete;

  const io::ModelConfig& config() const { return config_; }
  const LayerTensors& layer(int k) const { return layers_[static_cast<size_t>(k)]; }
  const float* embedding() const { return embedding_; }               ///< [V, D]; also the LM head
  const float* embedding_complement() const { return embedding_complement_; }  ///< [V, D]: row v = E[comp v]
  const float* norm_f() const { return norm_f_; }                     ///< [D]
  const int32_t* complement() const { return complement_; }           ///< [V]
  size_t bytes() const { return arena_.used_bytes(); }
  /// The bytes `weights` take on `device` beyond the loaded model (measured by placing them on a measuring arena).
  static size_t bytes_for(const CaduceusWeights& weights, core::Device device);

 private:
  DeviceWeights() = default;  // for bytes_for
  /// Carves every tensor out of `arena` (measuring or real) in one fixed order.
  void place(const CaduceusWeights& weights, core::Device device, core::Arena& arena);

  io::ModelConfig config_;
  core::Arena arena_;
  std::vector<LayerTensors> layers_;
  const float* embedding_ = nullptr;
  const float* embedding_complement_ = nullptr;
  const float* norm_f_ = nullptr;
  const int32_t* complement_ = nullptr;
};

}  // namespace genomamba::model
