#pragma once
// A fresh temporary directory, removed with its contents on destruction.
#include <filesystem>

namespace genomamba::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// Writes `text` to `path` (binary, truncating).
void write_file(const std::filesystem::path& path, const std::string& text);
/// Reads the whole file.
std::string read_file(const std::filesystem::path& path);

}  // namespace genomamba::test
