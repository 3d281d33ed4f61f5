#pragma once
/// Telling the machine's I/O failures from the user's.
#include <cerrno>

namespace genomamba::core {

/// Whether a system error (errno) is the machine's, such as a full disk, a quota or an I/O error, rather than
/// the user's, such as a missing folder or no permission. Writers raise the first kind as DeviceError (exit
/// 3): a job keeps its committed batches for --resume, where it gives up a new job that failed on bad input.
inline bool is_device_errno(int error) {
  return error == ENOSPC || error == EDQUOT || error == EIO || error == EFBIG || error == ENOMEM;
}

}  // namespace genomamba::core
