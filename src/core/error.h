#pragma once
/// Exception hierarchy of genomamba. apps/main.cpp is the only place that reports them and maps them to
/// exit codes: InputError and ConfigError -> 1, UsageError (and CLI11's parse errors) -> 2, DeviceError and
/// InternalError -> 3.
#include <stdexcept>
#include <string>

namespace genomamba {

/// Base of every error genomamba throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bad user data: a file that is missing, malformed or inconsistent. The message names the file and,
/// where there is one, the line or record.
class InputError : public Error {
 public:
  using Error::Error;
};

/// Bad options or an unsupported model configuration (names the flag or config field).
class ConfigError : public Error {
 public:
  using Error::Error;
};

/// A command line that cannot work whatever the files hold: an option's value, or options that contradict
/// each other (exit 2, like CLI11's own parse errors).
class UsageError : public Error {
 public:
  using Error::Error;
};

/// A failure of the machine or a foreign library: CUDA, NCCL, MPI, HDF5, out of memory, I/O.
class DeviceError : public Error {
 public:
  using Error::Error;
};

/// A broken invariant inside genomamba: a bug.
class InternalError : public Error {
 public:
  using Error::Error;
};

/// Exit code for an exception caught at the top level (design §7).
int exit_code_for(const std::exception& e) noexcept;

namespace detail {
[[noreturn]] void throw_internal(const char* cond, const std::string& msg, const char* file, int line);
}  // namespace detail

}  // namespace genomamba

/// Guards a precondition or invariant; the message names the argument ("u must have shape [T, Di]").
#define GM_CHECK(cond, msg)                                                        \
  do {                                                                             \
    if (!(cond)) ::genomamba::detail::throw_internal(#cond, (msg), __FILE__, __LINE__); \
  } while (0)
