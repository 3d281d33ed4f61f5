// genomamba merge: the shard files of one `embed`/`score`/`ism --shard i/N` job -> the output an unsharded
// run writes (design §7; the checks are in output::merge_job_files).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "run_files.h"
#include "core/error.h"
#include "core/log.h"
#include "output/embeddings_format.h"
#include "output/h5_file_reader.h"
#include "output/ism_format.h"
#include "output/variant_scores_format.h"
#include "output/job.h"

namespace genomamba::apps {

namespace fs = std::filesystem;

void setup_merge(CLI::App& app, const RunContext& context) {
  auto o = std::make_shared<MergeOptions>();
  o->context = &context;
  CLI::App* sub = app.add_subcommand(
      "merge",
      "Merge the shard files of one `genomamba embed|score|ism --shard i/N` job into the output an unsharded\n"
      "run writes (equal dataset by dataset). Every shard 0..N-1 must be given exactly once, complete, from\n"
      "the same command and model. Score shards (.h5) merge into any score output type by the suffix of -o:\n"
      ".h5, .vcf, .vcf.gz, .bcf or .tsv. The result is written as OUT.partial and renamed to OUT when complete.");
  sub->add_option("-o,--output", o->output, "Merged output (layouts: docs/formats.md)")->required();
  sub->add_option("shards", o->shards, "The N shard files (any order)")->required();
  sub->add_flag("-q,--quiet", o->quiet, "Log warnings and errors only (no exit summary)");
  sub->footer(
      "Example:\n"
      "  for i in 0 1 2; do\n"
      "    genomamba embed -m MODEL -i genome.fa -o part$i.h5 --window 16384 --shard $i/3\n"
      "  done\n"
      "  genomamba merge -o genome.h5 part0.h5 part1.h5 part2.h5\n"
      "  # score shards into one annotated VCF\n"
      "  genomamba merge -o scored.vcf.gz score0.h5 score1.h5");
  sub->callback([o] { run_merge(*o); });
}

std::shared_ptr<const output::JobFormat> format_of_shards(const fs::path& first, const fs::path& out) {
  const std::string format = output::read_h5_format(first);
  if (format == "genomamba-embeddings" || format == "genomamba-ism") {
    if (!output::is_h5_output_path(out)) {
      throw ConfigError(out.string() + ": " + format + " shards merge into an .h5 file only");
    }
    if (format == "genomamba-ism") return output::IsmFormat::of_file(first);
    return output::EmbeddingsFormat::of_file(first);
  }
  if (format == "genomamba-variant-scores") return output::VariantScoresFormat::of_file(first);
  throw InputError(first.string() + ": cannot merge files of format '" + format + "'");
}

void run_merge(const MergeOptions& o) {
  if (o.quiet) log::set_level(log::Level::WARNING);
  std::error_code ec;
  if (fs::is_directory(o.output, ec)) throw ConfigError(o.output + ": output path (-o) is a directory");
  const std::vector<fs::path> shards(o.shards.begin(), o.shards.end());
  if (shards.empty()) throw InputError("no shard files to merge");
  check_output_spares_inputs(o.output, o.shards);
  const std::shared_ptr<const output::JobFormat> format = format_of_shards(shards.front(), o.output);
  output::merge_job_files(*format, shards, o.output, o.context ? o.context->command_line : std::string());
  log::info("merged " + std::to_string(shards.size()) + " shard files into " + o.output);
  if (o.context) log_run_summary(*o.context);
}

}  // namespace genomamba::apps
