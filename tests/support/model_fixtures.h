#pragma once
// The golden-test fixtures made by tools/reference/make_fixtures.py: random checkpoints under
// tests/data/models/<name>/ and float64 reference outputs in tests/data/golden/<name>.safetensors.
#include <filesystem>
#include <string>
#include <vector>

#include "support/data_path.h"

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

}  // namespace genomamba::test
