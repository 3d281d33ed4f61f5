// genomamba: the one place that reports errors and turns them into exit codes (design §7):
// 0 success, 1 bad input or config, 2 usage (CLI11), 3 device or internal error.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <functional>
#include <new>
#include <string>
#include <vector>

#include "commands.h"
#include "core/error.h"
#include "core/resources.h"
#include "parallel/mpi_communicator.h"

namespace {

// "genomamba embed" for the subcommand that was running, "genomamba" before one was chosen.
std::string program_name(const CLI::App& app) {
  const auto subcommands = app.get_subcommands();
  return subcommands.empty() ? "genomamba" : "genomamba " + subcommands.front()->get_name();
}

std::vector<const CLI::App*> commands(const CLI::App& app) {
  return app.get_subcommands(std::function<bool(const CLI::App*)>());
}

bool is_command(const CLI::App& app, const std::string& word) {
  for (const CLI::App* command : commands(app)) {
    if (command->get_name() == word) return true;
  }
  return false;
}

// "embed, score, ism, inspect, merge"
std::string command_names(const CLI::App& app) {
  std::string names;
  for (const CLI::App* command : commands(app)) names += (names.empty() ? "" : ", ") + command->get_name();
  return names;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace genomamba;
  apps::RunContext context{apps::join_command_line(argc, argv), core::wall_seconds()};

  CLI::App app{"genomamba: Caduceus DNA language models (PH and PS) over long genomic sequences.\n"
               "Results go to files; logs go to stderr. Exit codes: 0 success, 1 bad input or config,\n"
               "2 usage error, 3 device or internal error.",
               "genomamba"};
  app.set_version_flag("--version", apps::version_line(), "Print name, version, git hash and backends, then exit");
  app.require_subcommand(1);
  app.footer("Run 'genomamba <command> --help' for a command's options and an example.");
  apps::setup_embed(app, context);
  apps::setup_score(app, context);
  apps::setup_ism(app, context);
  apps::setup_inspect(app, context);
  apps::setup_merge(app, context);

  // CLI11 reads an unknown first word as a stray argument and reports "A subcommand is required".
  if (argc > 1 && argv[1][0] != '-' && !is_command(app, argv[1])) {
    std::fprintf(stderr, "genomamba: error: unknown command '%s' (commands: %s; see genomamba --help)\n", argv[1],
                 command_names(app).c_str());
    return 2;
  }

  try {
    app.parse(argc, argv);  // the chosen subcommand runs from its callback
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // prints help, the version, or the usage error
    return rc == 0 ? 0 : 2;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "%s: error: %sout of memory\n", program_name(app).c_str(), parallel::rank_prefix().c_str());
    parallel::abort_other_ranks(3);
    return 3;
  } catch (const std::exception& e) {
    // One of several ranks: the message names it, and the whole job ends with it (never a hang).
    std::fprintf(stderr, "%s: error: %s%s\n", program_name(app).c_str(), parallel::rank_prefix().c_str(), e.what());
    std::fflush(stderr);
    parallel::abort_other_ranks(exit_code_for(e));
    return exit_code_for(e);
  }
  return 0;
}
