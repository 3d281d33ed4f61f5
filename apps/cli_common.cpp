// Option checks shared by the subcommands (embed, score, ism, merge).
#include "cli_common.h"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/threads.h"

namespace genomamba::apps {

namespace fs = std::filesystem;

CLI::Validator at_least(long long minimum) {
  return CLI::Validator(
      [minimum](std::string& value) -> std::string {
        try {
          size_t used = 0;
          if (std::stoll(value, &used) >= minimum && used == value.size()) return {};
        } catch (const std::exception&) {
        }
        return "value " + value + " must be an integer >= " + std::to_string(minimum);
      },
      "INT>=" + std::to_string(minimum));
}

void add_threads_option(CLI::App* sub, int& threads) {
  sub->add_option("-@,--threads", threads,
                  "CPU threads (0 = all cores available to this process; more than that are capped, with a "
                  "warning)")
      ->check(CLI::Range(0, core::kMaxThreads))
      ->capture_default_str();
}

std::pair<int64_t, int64_t> parse_shard(const std::string& text) {
  const size_t slash = text.find('/');
  const auto number = [](const std::string& part, int64_t& out) {
    if (part.empty() || part.size() > 9 || part.find_first_not_of("0123456789") != std::string::npos) return false;
    out = std::stoll(part);
    return true;
  };
  int64_t index = -1, count = -1;
  if (slash == std::string::npos || !number(text.substr(0, slash), index) || !number(text.substr(slash + 1), count) ||
      count < 1 || index >= count) {
    throw UsageError("--shard '" + text + "': expected i/N with 0 <= i < N (i is the 0-based shard index, " +
                      "N the number of shards; e.g. 0/4 .. 3/4)");
  }
  return {index, count};
}

CLI::Validator shard_spec() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        try {
          static_cast<void>(parse_shard(value));
        } catch (const UsageError&) {
          return "value '" + value + "' must be i/N with 0 <= i < N (0-based shard index i of N shards)";
        }
        return {};
      },
      "i/N");
}

void check_output_writable(const std::string& output) {
  const fs::path folder = fs::absolute(output).lexically_normal().parent_path();
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    if (fs::exists(folder, ec)) {
      throw InputError(output + ": cannot create output file: " + folder.string() + " is a file, not a folder");
    }
    throw InputError(output + ": cannot create output file: folder " + folder.string() + " does not exist");
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    throw InputError(output + ": cannot create output file: folder " + folder.string() + " is not writable");
  }
}

std::string absolute_path(const std::string& path) {
  if (path.empty() || path == "-") return path;
  return fs::absolute(path).lexically_normal().string();
}

output::RootAttributes base_root_attributes(const std::string& format, const RunContext* context,
                                            const std::string& model_dir, const std::string& model_sha256,
                                            const std::string& model_config, const std::string& model_kind) {
  output::RootAttributes a;
  a.format = format;
  a.format_version = 1;
  a.genomamba_version = version_string();
  a.command_line = context ? context->command_line : std::string();
  a.model_path = absolute_path(model_dir);
  a.model_sha256 = model_sha256;
  a.model_config = model_config;
  a.model_kind = model_kind;
  a.created = output::iso8601_utc_now();
  return a;
}

bool is_bad_input(const Error& e) {
  return dynamic_cast<const InputError*>(&e) != nullptr || dynamic_cast<const ConfigError*>(&e) != nullptr;
}

}  // namespace genomamba::apps
