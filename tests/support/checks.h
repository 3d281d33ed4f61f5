#pragma once
// Small helpers shared by the tests: the message of an expected exception, the partial file of an output.
#include <filesystem>
#include <string>

namespace genomamba::test {

/// The message of the `E` that `f` throws; "" (failing the match) when it throws nothing or another type.
template <typename E, typename F>
std::string thrown(F f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (...) {
  }
  return "";
}

/// "<path>.partial": where a writer keeps an output until it is complete.
inline std::filesystem::path partial_of(const std::filesystem::path& path) {
  return std::filesystem::path(path.string() + ".partial");
}

}  // namespace genomamba::test
