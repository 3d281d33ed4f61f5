#pragma once
// Points standard input at a file for the lifetime of the object, then restores it (for tests of "-").
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

namespace genomamba::test {

class StdinFromFile {
 public:
  explicit StdinFromFile(const std::filesystem::path& path) : saved_(::dup(STDIN_FILENO)) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (saved_ < 0 || fd < 0) throw std::runtime_error("cannot redirect stdin from " + path.string());
    ::dup2(fd, STDIN_FILENO);
    ::close(fd);
  }
  ~StdinFromFile() {
    ::dup2(saved_, STDIN_FILENO);
    ::close(saved_);
  }
  StdinFromFile(const StdinFromFile&) = delete;
  StdinFromFile& operator=(const StdinFromFile&) = delete;

 private:
  int saved_;
};

}  // namespace genomamba::test
