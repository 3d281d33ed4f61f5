#pragma once
// Paths of test fixtures and of the built genomamba binary.
#include <filesystem>
#include <string>

namespace genomamba::test {

/// tests/data/<relative>
inline std::filesystem::path data_path(const std::string& relative) {
  return std::filesystem::path(GM_TEST_DATA_DIR) / relative;
}
/// <repository root>/<relative>
inline std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(GM_SOURCE_DIR) / relative;
}
/// tests/data/models/<name>: a fixture checkpoint made by tools/reference/make_fixtures.py.
inline std::string fixture_model(const std::string& name) { return data_path("models/" + name).string(); }
/// The genomamba executable of this build.
inline std::filesystem::path genomamba_binary() {
  return std::filesystem::path(GM_BINARY_DIR) / "apps" / "genomamba";
}

}  // namespace genomamba::test
