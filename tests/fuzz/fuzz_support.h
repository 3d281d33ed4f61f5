#pragma once
// Shared by the libFuzzer targets: the fuzz input as a real file (so that each reader is driven through the
// same open/detect/read path as a user's file), and the rule for which exceptions are the intended outcome.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/error.h"

namespace genomamba::fuzz {

/// The input bytes in an anonymous in-memory file (memfd), reachable by path as /proc/self/fd/<n>.
/// No disk I/O and nothing to clean up after a crash; the descriptor is closed on destruction.
class MemFile {
 public:
  MemFile(const uint8_t* data, size_t size) {
    fd_ = ::memfd_create("genomamba-fuzz", MFD_CLOEXEC);
    if (fd_ < 0) std::abort();  // the harness itself is broken; not a finding in the code under test
    size_t done = 0;
    while (done < size) {
      const ssize_t n = ::write(fd_, data + done, size - done);
      if (n <= 0) std::abort();
      done += static_cast<size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemFile() { ::close(fd_); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

/// Runs `body`. A genomamba::Error (InputError, ConfigError: the clear message a user would see) ends the input
/// quietly; everything else escapes and crashes the fuzzer. InternalError derives from genomamba::Error but
/// means a GM_CHECK invariant broke, so it is a finding too, as are std::bad_alloc, std::out_of_range or an
/// nlohmann exception: each means a check on the input is missing.
template <class Body>
void expect_clear_errors(Body&& body) {
  try {
    body();
  } catch (const InternalError&) {
    throw;
  } catch (const Error&) {
  }
}

}  // namespace genomamba::fuzz
