#pragma once
/// The Caduceus config.json of a Hugging Face checkpoint directory, parsed and validated.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace genomamba::io {

struct ModelConfig {
  int d_model = 0;
  int n_layer = 0;
  int vocab_size = 0;          ///< after padding to pad_vocab_size_multiple (rows of the embedding)
  int d_state = 16;            ///< ssm_cfg.d_state
  int d_conv = 4;              ///< ssm_cfg.d_conv
  int expand = 2;              ///< ssm_cfg.expand
  int d_inner = 0;             ///< expand * d_model
  int dt_rank = 0;             ///< ssm_cfg.dt_rank, "auto" -> ceil(d_model / 16)
  bool conv_bias = true;       ///< ssm_cfg.conv_bias
  float norm_epsilon = 1e-5f;
  bool rcps = false;           ///< true: Caduceus-PS, false: Caduceus-PH
  /// complement_map extended to vocab_size (ids beyond the map map to themselves), in JSON key order.
  std::vector<int> complement_map;
  std::string json_text;       ///< the config.json text as read

  /// "caduceus-ph" or "caduceus-ps".
  const char* kind() const { return rcps ? "caduceus-ps" : "caduceus-ph"; }
};

/// Reads and validates `path` (a config.json). Rejects, naming the field: missing required fields,
/// wrong JSON types, non-positive sizes, and values genomamba does not implement (rms_norm false,
/// fused_add_norm false, bidirectional false, bidirectional_strategy other than "add",
/// bidirectional_weight_tie false, ssm_cfg.bias true, a complement_map that is not a permutation).
/// @throws InputError "<path>: ..." for unreadable or malformed JSON, ConfigError "<path>: field '<f>' ..."
///         for missing or unsupported values.
ModelConfig read_model_config(const std::filesystem::path& path);

}  // namespace genomamba::io
