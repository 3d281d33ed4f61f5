#include "support/run_command.h"

#include <sys/wait.h>

#include <cstdio>
#include <stdexcept>

#include "support/data_path.h"
#include "support/temp_dir.h"

namespace genomamba::test {

CommandResult run_command(const std::string& command) {
  TempDir dir;
  const auto out_path = dir / "stdout";
  const auto err_path = dir / "stderr";
  const std::string full = "(" + command + ") >'" + out_path.string() + "' 2>'" + err_path.string() + "'";
  const int status = std::system(full.c_str());
  if (status == -1) throw std::runtime_error("cannot run: " + command);
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

CommandResult run_genomamba(const std::string& args) {
  // Appended piecewise: GCC 12 warns (-Wrestrict, a false positive) on "'" + std::string&&.
  std::string command = "'";
  command += genomamba_binary().string();
  command += "' ";
  command += args;
  return run_command(command);
}

}  // namespace genomamba::test
