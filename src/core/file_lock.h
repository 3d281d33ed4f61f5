#pragma once
/// An exclusive advisory lock (flock) on a lock file, held for the object's lifetime. The kernel drops it
/// when the process dies, SIGKILL included, so a stale lock file never blocks a later run.
#include <filesystem>

namespace genomamba::core {

class FileLock {
 public:
  /// Creates `path` if needed and locks it without waiting.
  /// @return false in `acquired()` when another process holds the lock.
  /// @throws DeviceError when the lock file cannot be created.
  explicit FileLock(const std::filesystem::path& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  bool acquired() const { return acquired_; }
  /// Deletes the lock file and releases the lock (for a job that is done or left nothing behind).
  void remove();

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool acquired_ = false;
};

}  // namespace genomamba::core
