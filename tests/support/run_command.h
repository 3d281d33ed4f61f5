#pragma once
// Runs a command through /bin/sh and captures its exit code, stdout and stderr (for end-to-end CLI tests).
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

}  // namespace genomamba::test
