#pragma once
// The golden-test fixtures made by tools/reference/make_fixtures.py: random checkpoints under
// tests/data/models/<name>/ and float64 reference outputs in tests/data/golden/<name>.safetensors.
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "support/data_path.h"
#include "tokenize/dna_tokenizer.h"

namespace genomamba::test {

/// Every fixture name, PH and PS, several shapes and storage dtypes.
inline const std::vector<std::string>& model_fixture_names() {
  static const std::vector<std::string> names = {"ph_tiny", "ps_tiny", "ph_odd", "ps_odd", "ph_f16", "ps_bf16"};
  return names;
}

/// tests/data/models/<name> (config.json + model.safetensors)
inline std::filesystem::path model_dir(const std::string& name) { return data_path("models/" + name); }

/// tests/data/golden/<name>.safetensors
inline std::filesystem::path golden_path(const std::string& name) {
  return data_path("golden/" + name + ".safetensors");
}

/// Random token ids of A, C, G, T and N (ids 7..11), the same for a given seed on every run and rank.
inline std::vector<int32_t> random_ids(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pick(0, 4);
  std::vector<int32_t> ids(static_cast<size_t>(n));
  for (auto& id : ids) id = tokenize::kAId + pick(rng);
  return ids;
}

}  // namespace genomamba::test
