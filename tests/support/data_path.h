#pragma once
// Paths of test fixtures and of the built genomamba binary. The compiled-in paths (tests/CMakeLists.txt) are
// this build's; a test binary run elsewhere (the portable bundle of scripts/bundle.sh on a GPU machine, where
// the source tree sits at another path) is pointed at the tree and the binary by environment variables, which
// win over the compiled-in values:
//   GM_SOURCE_DIR     the repository root (tests/data is then taken under it unless GM_TEST_DATA_DIR is set)
//   GM_TEST_DATA_DIR  tests/data
//   GM_GENOMAMBA      the genomamba executable; unset, and this build's apps/genomamba absent, a genomamba
//                     beside the running test binary (the bundle's bin/) is used.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace genomamba::test {

namespace detail {
/// The value of environment variable `name`, or null when it is unset or empty.
inline const char* env_path(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? value : nullptr;
}
}  // namespace detail

/// <repository root>/<relative>
inline std::filesystem::path source_path(const std::string& relative) {
  const char* root = detail::env_path("GM_SOURCE_DIR");
  return std::filesystem::path(root ? root : GM_SOURCE_DIR) / relative;
}
/// tests/data/<relative>
inline std::filesystem::path data_path(const std::string& relative) {
  if (const char* dir = detail::env_path("GM_TEST_DATA_DIR")) return std::filesystem::path(dir) / relative;
  if (detail::env_path("GM_SOURCE_DIR")) return source_path("tests/data") / relative;
  return std::filesystem::path(GM_TEST_DATA_DIR) / relative;
}
/// tests/data/models/<name>: a fixture checkpoint made by tools/reference/make_fixtures.py.
inline std::string fixture_model(const std::string& name) { return data_path("models/" + name).string(); }
/// The genomamba executable of this build.
inline std::filesystem::path genomamba_binary() {
  if (const char* binary = detail::env_path("GM_GENOMAMBA")) return binary;
  const std::filesystem::path built = std::filesystem::path(GM_BINARY_DIR) / "apps" / "genomamba";
  std::error_code error;
  if (std::filesystem::exists(built, error)) return built;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error && std::filesystem::exists(self.parent_path() / "genomamba", error)) return self.parent_path() / "genomamba";
  return built;
}

}  // namespace genomamba::test
