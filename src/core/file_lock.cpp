#include "core/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace genomamba::core {

FileLock::FileLock(const std::filesystem::path& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw DeviceError(path.string() + ": cannot create lock file: " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
    acquired_ = true;
  } else if (errno != EWOULDBLOCK) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    throw DeviceError(path.string() + ": cannot lock: " + std::strerror(err));
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the lock
}

void FileLock::remove() {
  if (fd_ < 0 || !acquired_) return;
  ::unlink(path_.c_str());  // while still holding the lock
  ::close(fd_);
  fd_ = -1;
  acquired_ = false;
}

}  // namespace genomamba::core
