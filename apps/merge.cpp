// genomamba merge: the shard files of one `embed --shard i/N` job -> the file an unsharded run writes
// (design §7; the checks are in output::merge_embeddings).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "core/error.h"
#include "core/log.h"
#include "output/embeddings_job.h"

namespace genomamba::apps {

namespace fs = std::filesystem;

void setup_merge(CLI::App& app, const RunContext& context) {
  auto o = std::make_shared<MergeOptions>();
  o->context = &context;
  CLI::App* sub = app.add_subcommand(
      "merge",
      "Merge the shard files of one `genomamba embed --shard i/N` job into the file an unsharded run\n"
      "writes (equal dataset by dataset). Every shard 0..N-1 must be given exactly once, complete, from the\n"
      "same command and model. The result is written as OUT.partial and renamed to OUT when complete.");
  sub->add_option("-o,--output", o->output, "Merged HDF5 file (layout: docs/formats.md)")->required();
  sub->add_option("shards", o->shards, "The N shard files (any order)")->required();
  sub->add_flag("-q,--quiet", o->quiet, "Log warnings and errors only (no exit summary)");
  sub->footer(
      "Example:\n"
      "  for i in 0 1 2; do\n"
      "    genomamba embed -m MODEL -i genome.fa -o part$i.h5 --window 16384 --shard $i/3\n"
      "  done\n"
      "  genomamba merge -o genome.h5 part0.h5 part1.h5 part2.h5");
  sub->callback([o] { run_merge(*o); });
}

void run_merge(const MergeOptions& o) {
  if (o.quiet) log::set_level(log::Level::WARNING);
  std::error_code ec;
  if (fs::is_directory(o.output, ec)) throw ConfigError(o.output + ": output path (-o) is a directory");
  const std::vector<fs::path> shards(o.shards.begin(), o.shards.end());
  output::merge_embeddings(shards, o.output, o.context ? o.context->command_line : std::string());
  log::info("merged " + std::to_string(shards.size()) + " shard files into " + o.output);
  if (o.context) log_run_summary(*o.context);
}

}  // namespace genomamba::apps
