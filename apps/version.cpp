// Version text, the command line as a string, the exit summary: what every subcommand reports.
#include <cstdio>
#include <string>

#include "commands.h"
#include "core/error.h"
#include "core/log.h"
#include "core/resources.h"
#include "core/git_hash.h"
#include "core/version.h"

namespace genomamba::apps {

std::string version_string() { return std::string(core::kVersion) + " (git " + core::kGitHash + ")"; }

std::string version_line() { return "genomamba " + version_string() + " backends: " + core::kBackends; }

namespace {
// Quotes a word for a POSIX shell when it holds anything beyond a safe set.
std::string shell_quote(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                              "@%+=:,./-_") == std::string::npos) {
    return word;
  }
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}
}  // namespace

std::string join_command_line(int argc, const char* const* argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    if (i) line += ' ';
    line += shell_quote(argv[i]);
  }
  return line;
}

void log_run_summary(const RunContext& context) {
  if (log::level() < log::Level::INFO) return;
  const double wall = core::wall_seconds() - context.start_wall;
  const double rss_gb = static_cast<double>(core::peak_rss_bytes()) / 1e9;
  std::fprintf(stderr, "[M::main] Version: %s; CMD: %s; Real time: %.3f sec; CPU: %.3f sec; Peak RSS: %.3f GB\n",
               version_string().c_str(), context.command_line.c_str(), wall, core::cpu_seconds(), rss_gb);
}

void require_model_folder(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return;
  if (std::filesystem::exists(dir, ec)) {
    throw InputError(dir.string() + ": is a file, not a model folder (-m takes the folder holding config.json and "
                     "model.safetensors)");
  }
  throw InputError(dir.string() + ": model folder not found");
}

}  // namespace genomamba::apps
