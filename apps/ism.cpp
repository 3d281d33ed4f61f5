// genomamba ism: in-silico saturation mutagenesis of a reference region (design §7, §8): for every
// position, the score of each of the four bases against the reference base; wt_llr by default (one pass
// per grid window), llr with --masked (one masked pass per position).
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <tuple>
#include <utility>

#include "cli_common.h"
#include "job_ranks.h"
#include "commands.h"
#include "core/error.h"
#include "core/log.h"
#include "core/pipeline.h"
#include "core/progress.h"
#include "core/threads.h"
#include "io/model_config.h"
#include "io/region.h"
#include "model/caduceus.h"
#include "output/ism_batch.h"
#include "output/ism_format.h"
#include "output/job.h"
#include "run_files.h"
#include "score_internal.h"

namespace genomamba::apps {

namespace fs = std::filesystem;

void setup_ism(CLI::App& app, const RunContext& context) {
  auto o = std::make_shared<IsmOptions>();
  o->job.context = &context;
  CLI::App* sub = app.add_subcommand(
      "ism",
      "Saturation mutagenesis of a reference region: for every position, the score of A, C, G and T\n"
      "against the reference base (0 on its column; NaN where the reference base is not ACGT). wt_llr by\n"
      "default (equal to `score --scores wt_llr` on that SNV); --masked gives llr (equal to `score --scores\n"
      "llr`). Output layout /ism/{positions,ref,scores}: docs/formats.md.");
  sub->add_option("-m,--model", o->model_dir, "Model folder: a Hugging Face Caduceus checkpoint")->required();
  sub->add_option("-f,--reference", o->reference, "Reference FASTA (plain or bgzip) with its .fai (and .gzi)")->required();
  sub->add_option("-r,--region", o->region, "Region chr:beg-end (1-based, inclusive)")->required();
  sub->add_option("-o,--output", o->output, "Output HDF5 file")->required();
  sub->add_option("--window", o->window, "Window length in bases")->check(at_least(1))->capture_default_str();
  sub->add_option("--strand", o->strand, "fwd or both (mean with the reverse-complement strand)")
      ->check(CLI::IsMember({"fwd", "both"}))
      ->capture_default_str();
  sub->add_flag("--masked", o->masked, "llr: mask each position in its own centred window (one pass per position)");
  add_job_options(sub, o->job,
                  {"Positions per batch: the unit of writing and --resume",
                   "Compute shard i of N of the positions (0-based i); merge with 'genomamba merge'"});
  sub->footer(
      "Example:\n"
      "  genomamba ism -m caduceus-ph -f GRCh38.fa.gz -r chr17:43,044,295-43,044,394 -o brca1_ism.h5\n"
      "  python3 -c \"import h5py; f = h5py.File('brca1_ism.h5'); print(f['ism/scores'][:5])\"");
  sub->callback([o] { run_ism(*o); });
}

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Positions [begin, end) of the region (0-based), this shard's share of them, in batches.
struct IsmWork {
  std::vector<int64_t> positions;  // 0-based
};

std::string job_signature(const IsmOptions& o, const io::Region& region, const std::string& sha256) {
  std::string s = "genomamba-ism job 1\n";
  const auto add = [&s](const std::string& key, const std::string& value) { s += key + "=" + value + "\n"; };
  add("model_sha256", sha256);
  s += input_fingerprint("reference", o.reference);
  add("region", io::to_string(region));
  add("window", std::to_string(o.window));
  add("strand", o.strand);
  add("masked", o.masked ? "1" : "0");
  return s + run_signature(o.job);
}

output::RootAttributes root_attributes(const IsmOptions& o, const io::Region& region, const model::Caduceus& model) {
  output::RootAttributes a = base_root_attributes("genomamba-ism", o.job, o.model_dir, model.weights().sha256,
                                                   model.config().json_text, model.config().kind());
  a.strand = o.strand;
  a.window = o.window;
  a.dtype = "f32";
  a.input_paths = {absolute_path(o.reference)};
  a.extra["reference_path"] = absolute_path(o.reference);
  a.extra["contig"] = region.contig;
  a.extra["region"] = io::to_string(region);
  a.extra["score"] = o.masked ? "llr" : "wt_llr";
  return a;
}

// Scores of the four bases at 0-based `pos` from log-probabilities of a window starting at `start`.
void base_scores(const core::Matrix& log_probs, int64_t at, int ref_column, float* out) {
  for (int b = 0; b < 4; ++b) {
    out[b] = ref_column < 0 ? kNaN
                            : variants::round_significant(static_cast<double>(log_probs.at(at, b)) -
                                                          log_probs.at(at, ref_column));
  }
}

}  // namespace

void run_ism(const IsmOptions& options) {
  if (options.job.quiet) log::set_level(log::Level::WARNING);
  IsmOptions o = options;
  resolve_job_options(o.job);
  const core::ProgressMode progress_mode = core::parse_progress_mode(o.job.progress);
  core::set_num_threads(o.job.threads);
  check_output_writable(o.output);
  std::vector<std::string> inputs = model_files(o.model_dir);
  for (std::string& file : with_companions(o.reference)) inputs.push_back(std::move(file));
  check_output_spares_inputs(o.output, inputs);
  if (o.job.communicator->size() > 1) {  // data parallel: each rank maps a part of the positions, rank 0 merges
    run_job_over_ranks(options.job, o.job, o.output, [&](const std::string& part_output, const JobOptions& part_job) {
      IsmOptions part = options;
      part.output = part_output, part.job = part_job;
      run_ism(part);
    });
    return;
  }
  io::Region region = io::parse_region(o.region);
  const fs::path model_dir = o.model_dir;
  require_model_folder(model_dir);
  static_cast<void>(io::read_model_config(model_dir / "config.json"));
  const io::ReferenceFasta reference(o.reference);
  const int64_t contig_length = reference.contig_length(region.contig);
  if (contig_length < 0) throw InputError(o.reference + ": no contig '" + region.contig + "' (-r " + o.region + ")");
  if (region.end == io::kRegionEnd) region.end = contig_length;
  if (region.begin >= contig_length || region.end > contig_length) {
    throw InputError("-r " + o.region + ": beyond the end of " + region.contig + " (" + std::to_string(contig_length) +
                     " bases in " + o.reference + ")");
  }

  const model::Caduceus model = model::Caduceus::load(model_dir);
  const model::Strand strand = o.strand == "fwd" ? model::Strand::FWD : model::Strand::BOTH;
  log::info(score::plan_scoring(model, strand, o.window, o.job).summary());  // refuses what cannot fit
  score::ScoreComputer computer(model, strand, o.job.run, {}, false);
  const output::JobIdentity identity{job_signature(o, region, model.weights().sha256), o.job.shard_index, o.job.shard_count};
  output::Job job(o.output, std::make_shared<output::IsmFormat>(), root_attributes(o, region, model), identity, o.job.resume);
  const int64_t n_positions = region.end - region.begin;
  if (job.already_complete()) {
    job.finish(n_positions);
    log::info(o.output + " is already complete; nothing to resume");
    if (o.job.exit_summary) log_run_summary(*o.job.context);
    return;
  }
  const int64_t skip = job.n_committed();
  log::info("ISM of " + io::to_string(region) + " (" + std::to_string(n_positions) + " positions, " +
            (o.masked ? "llr" : "wt_llr") + ", window " + std::to_string(o.window) + ", strand " + o.strand + ", " +
            core::threads_description() + ")");

  // This shard's positions: index k of the region with k % N == i, after the `skip` already done.
  int64_t next_index = o.job.shard_index + skip * o.job.shard_count;
  core::ProgressMeter progress(core::progress_enabled(progress_mode, o.job.quiet, ::isatty(STDERR_FILENO) == 1), stderr, -1);
  score::WindowKey grid_key;  // the grid window whose bases grid_bases holds (compute stage only)
  std::string grid_bases;
  core::ProgressCounts counts;
  counts.records = -1;
  counts.unit = "position";
  counts.windows = skip;
  try {
    core::run_pipeline_stages<IsmWork, output::IsmBatch>(
        [&](IsmWork& work) {
          for (; next_index < n_positions && static_cast<int64_t>(work.positions.size()) < o.job.batch;
               next_index += o.job.shard_count) {
            work.positions.push_back(region.begin + next_index);
          }
          return !work.positions.empty();
        },
        [&](IsmWork&& work) {
          output::IsmBatch batch;
          batch.scores = core::Matrix(static_cast<int64_t>(work.positions.size()), 4);
          // --masked: one pass per position, each in its own centred window, all the batch's passes together.
          std::vector<std::string> windows;
          std::vector<score::ScoreComputer::MaskedPass> passes;
          std::vector<core::Matrix> masked;
          if (o.masked) {
            windows.reserve(work.positions.size());
            for (const int64_t pos : work.positions) {
              const variants::Span w = variants::centred_window(contig_length, o.window, pos, 1);
              windows.push_back(reference.fetch(region.contig, w.start, w.end()));
              passes.push_back({&windows.back(), {pos - w.start}});
            }
            masked = computer.masked_log_probs(passes);
          }
          for (size_t k = 0; k < work.positions.size(); ++k) {
            const int64_t pos = work.positions[k];
            const std::string base = reference.fetch(region.contig, pos, pos + 1);
            const int ref_column = variants::nucleotide_column(base[0]);
            batch.position.push_back(pos + 1);
            batch.ref.push_back(static_cast<int8_t>(ref_column));
            float* row = batch.scores.row(static_cast<int64_t>(k));
            if (o.masked) {
              base_scores(masked[k], passes[k].masked.front(), ref_column, row);
            } else {
              // Consecutive positions share a grid window: its bases are fetched when the window changes.
              const score::WindowKey key{region.contig, variants::grid_window(contig_length, o.window, pos, 1)};
              if (grid_bases.empty() || grid_key < key || key < grid_key) {
                grid_key = key;
                grid_bases = reference.fetch(region.contig, key.span.start, key.span.end());
              }
              base_scores(computer.reference_log_probs(key, grid_bases), pos - key.span.start, ref_column, row);
            }
          }
          return batch;
        },
        [&](output::IsmBatch&& batch) {
          job.commit(batch);
          counts.windows += batch.size();
          counts.tokens = computer.tokens();
          progress.update(counts);
        });
    progress.finish();
    job.finish(n_positions);
  } catch (const core::Interrupted& e) {  // SIGINT/SIGTERM: the batches stay, the message says how to go on
    progress.finish();
    throw job.interrupted(e, "positions");
  } catch (const Error& e) {
    progress.finish();
    if (is_bad_input(e) && skip == 0) job.discard();
    throw;
  }
  log::info("wrote " + std::to_string(counts.windows) + " positions to " + o.output);
  if (o.job.exit_summary) log_run_summary(*o.job.context);
}

}  // namespace genomamba::apps
