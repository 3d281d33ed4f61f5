#pragma once
/// The weights of a Caduceus checkpoint, converted to float32 and checked against the config.
#include <filesystem>
#include <string>
#include <vector>

#include "io/model_config.h"

namespace genomamba::model {

/// One direction of a BiMamba layer: the parameters that are not tied between directions.
struct MambaDirectionWeights {
  std::vector<float> conv_weight;  ///< [Di, K]   (conv1d.weight [Di, 1, K])
  std::vector<float> conv_bias;    ///< [Di]      (zeros when conv_bias is false)
  std::vector<float> x_proj;       ///< [R + 2N, Di]
  std::vector<float> dt_proj;      ///< [Di, R]
  std::vector<float> dt_bias;      ///< [Di]
  std::vector<float> A;            ///< [Di, N]   = -exp(A_log), precomputed
  std::vector<float> D;            ///< [Di]
};

/// One BiMamba layer: pre-norm weight, tied in/out projections, and the two directions.
struct LayerWeights {
  std::vector<float> norm;      ///< [D]
  std::vector<float> in_proj;   ///< [2Di, D]   rows 0..Di-1 -> x, Di..2Di-1 -> z
  std::vector<float> out_proj;  ///< [D, Di]
  MambaDirectionWeights fwd;
  MambaDirectionWeights rev;
};

struct CaduceusWeights {
  io::ModelConfig config;
  std::vector<float> embedding;  ///< [V, D]; also the tied LM head
  std::vector<float> norm_f;     ///< [D]
  std::vector<LayerWeights> layers;
  std::string sha256;            ///< hex sha256 of model.safetensors
  int64_t n_parameters = 0;      ///< unique trainable parameters (tied tensors counted once)
};

/// Loads `<dir>/config.json` and `<dir>/model.safetensors`. Checks the tensor set against the config:
/// every expected tensor present with the expected shape and a float dtype (I64 for complement maps),
/// no unexpected tensor; for PS, the stored complement maps equal the config's.
/// @throws InputError / ConfigError naming the directory or file, the tensor and the problem.
CaduceusWeights load_weights(const std::filesystem::path& dir);

}  // namespace genomamba::model
