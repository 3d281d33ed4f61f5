#pragma once
// Runs a command through /bin/sh and captures its exit code, stdout and stderr (for end-to-end CLI tests).
#include <filesystem>
#include <functional>
#include <string>

namespace genomamba::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `command` with sh -c; stdout and stderr are captured separately.
CommandResult run_command(const std::string& command);

/// Runs this build's genomamba binary with `args` (shell words, appended as given).
CommandResult run_genomamba(const std::string& args);

/// Runs this build's genomamba with `args` (split on spaces; no quoting), stderr to `log`, waits until
/// `ready()` holds, then SIGKILLs it. True when the kill landed while it ran; false when it exited first
/// (checked to have exited 0). Fails the test after 120 s.
bool run_and_kill(const std::string& args, const std::function<bool()>& ready, const std::filesystem::path& log);

}  // namespace genomamba::test
