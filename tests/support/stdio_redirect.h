#pragma once
// Points standard input at a file, or standard output into one, for the lifetime of the object, then restores
// it (for tests of "-").
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
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

/// Redirects standard output (file descriptor 1) into a file while alive.
class StdoutToFile {
 public:
  explicit StdoutToFile(const std::filesystem::path& path) : saved_((std::fflush(stdout), ::dup(STDOUT_FILENO))) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (saved_ < 0 || fd < 0) throw std::runtime_error("cannot redirect stdout to " + path.string());
    ::dup2(fd, STDOUT_FILENO);
    ::close(fd);
  }
  ~StdoutToFile() {
    std::fflush(stdout);
    ::dup2(saved_, STDOUT_FILENO);
    ::close(saved_);
  }
  StdoutToFile(const StdoutToFile&) = delete;
  StdoutToFile& operator=(const StdoutToFile&) = delete;

 private:
  int saved_;
};

}  // namespace genomamba::test
