// genomamba embed: any HTSlib sequence input (FASTA/FASTQ, SAM/BAM/CRAM, regions) tiled into windows, run
// through a Caduceus model, written as the design §8 embeddings layout; sharded and resumable (design §7).
// The options and their help live here with run_embed; the stages are in embed_{options,input,reader,pipeline}.cpp.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "core/error.h"
#include "core/log.h"
#include "core/progress.h"
#include "core/resources.h"
#include "core/threads.h"
#include "parallel/counting_communicator.h"
#include "embed_internal.h"
#include "io/model_config.h"
#include "model/caduceus.h"
#include "model/memory_plan.h"

namespace genomamba::apps {

namespace fs = std::filesystem;

namespace {

void add_input_options(CLI::App* sub, EmbedOptions& o) {
  sub->add_option("-i,--input", o.input,
                  "Input: FASTA or FASTQ (plain, gzip or bgzip), SAM, BAM or CRAM; '-' reads standard input. "
                  "Reads of SAM/BAM/CRAM are records in their original orientation")
      ->required();
  sub->add_option("-r,--region", o.regions,
                  "Region chr, chr:beg or chr:beg-end (samtools syntax: 1-based, inclusive); repeatable. "
                  "Needs an index (.fai, plus .gzi for bgzip; .bai/.csi/.crai). A FASTA region is one record "
                  "named after the contig, its /windows/start,end in contig coordinates")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("-R,--regions-file", o.bed, "BED file of regions (0-based, half-open), after any -r regions");
  sub->add_option("-f,--reference", o.reference, "Reference FASTA for CRAM input");
  sub->add_option("-F,--exclude-flags", o.exclude_flags,
                  "SAM/BAM/CRAM: skip reads with any of these flag bits (decimal, 0x hex or names such as "
                  "SECONDARY,SUPPLEMENTARY; default 0x900)")
      ->transform(embed::sam_flags());
  sub->add_option("--min-mapq", o.min_mapq, "SAM/BAM/CRAM: skip reads with a lower mapping quality")
      ->check(CLI::Range(0, 255))
      ->capture_default_str();
}

void add_window_options(CLI::App* sub, EmbedOptions& o) {
  sub->add_option("--window", o.window,
                  "Window length W in bases. A record longer than W is tiled; its last window is shifted left "
                  "to keep length W. A record of at most W bases is one window: the whole record")
      ->check(at_least(1))
      ->capture_default_str();
  sub->add_option("--stride", o.stride, "Distance S between window starts (default: the window, no overlap)")
      ->check(at_least(1));
  sub->add_option("--pool", o.pool,
                  "mean: /windows/embedding holds the mean over each window's positions; none: no pooled "
                  "output (needs --per-position or --logits)")
      ->check(CLI::IsMember({"mean", "none"}))
      ->capture_default_str();
}

void add_model_options(CLI::App* sub, EmbedOptions& o) {
  sub->add_flag("--per-position", o.per_position, "Also write each base's embedding to /positions/embedding");
  sub->add_flag("--logits", o.logits, "Also write raw A,C,G,T logits per base to /positions/logits");
  sub->add_option("--layer", o.layer,
                  "Write hidden_states[K] (Hugging Face indexing: 0 = embedding output, n_layer = final) "
                  "instead of the final hidden state")
      ->check(at_least(0));
  sub->add_option("--strand", o.strand,
                  "fwd: the model's outputs as they are (PS: 2*d_model wide); both: average with the "
                  "reverse-complement strand (d_model wide)")
      ->check(CLI::IsMember({"fwd", "both"}))
      ->capture_default_str();
  sub->add_option("--dtype", o.dtype, "Type of /positions/embedding: f32 or f16")
      ->check(CLI::IsMember({"f32", "f16"}))
      ->capture_default_str();
}

void add_run_options(CLI::App* sub, EmbedOptions& o) {
  add_job_options(sub, o.job,
                  {"Windows per batch: the unit of computing, writing and --resume (memory grows with batch x "
                   "window)",
                   "Compute shard i of N (i is 0-based: 0..N-1): the windows whose index over the whole input "
                   "is i modulo N. Merge the N files with 'genomamba merge'"});
}

}  // namespace

void setup_embed(CLI::App& app, const RunContext& context) {
  auto o = std::make_shared<EmbedOptions>();
  o->job.context = &context;
  CLI::App* sub = app.add_subcommand(
      "embed",
      "Embed the sequences of a FASTA/FASTQ/SAM/BAM/CRAM input with a Caduceus model and write HDF5.\n"
      "Records are tiled into windows of --window bases (a shorter record is one window: the whole record);\n"
      "/windows/{name,start,end} say where each window lies, in record coordinates, and /windows/embedding\n"
      "holds the mean over its positions. Batches are committed to OUT.partial.d/ as they finish; the\n"
      "complete file is assembled as OUT.partial and renamed to OUT at the end. Layout: docs/formats.md.");
  sub->add_option("-m,--model", o->model_dir,
                  "Model folder: a Hugging Face Caduceus checkpoint (config.json + model.safetensors)")
      ->required();
  sub->add_option("-o,--output", o->output, "Output HDF5 file (layout: docs/formats.md)")->required();
  add_input_options(sub, *o);
  add_window_options(sub, *o);
  add_model_options(sub, *o);
  add_run_options(sub, *o);
  sub->footer(
      "Example:\n"
      "  # a genome in 16-kbp windows, pooled embeddings, 8 threads\n"
      "  genomamba embed -m caduceus-ph -i genome.fa.gz -o genome.h5 \\\n"
      "      --window 16384 -@ 8\n"
      "  # two regions of an indexed FASTA; per-base embeddings as float16\n"
      "  genomamba embed -m caduceus-ph -i genome.fa.gz -o regions.h5 \\\n"
      "      -r chr1:1-1,000,000 -r chr2 --per-position --dtype f16\n"
      "  # primary reads of a BAM with MAPQ >= 20 (CRAM: add -f ref.fa)\n"
      "  genomamba embed -m caduceus-ph -i reads.bam -o reads.h5 --min-mapq 20\n"
      "  # shard 0 of 4 (0/4 .. 3/4, e.g. a Slurm array), resumable; then merge\n"
      "  genomamba embed -m caduceus-ph -i genome.fa -o part0.h5 \\\n"
      "      --window 16384 --shard 0/4 --resume\n"
      "  genomamba merge -o genome.h5 part0.h5 part1.h5 part2.h5 part3.h5\n"
      "  # the test model of this repository\n"
      "  genomamba embed -m data/models/caduceus-ph-untrained-d64-l4 \\\n"
      "      -i data/example.fa -o example.h5 --per-position --logits -@ 4");
  sub->callback([o] { run_embed(*o); });
}

namespace {

// --layer needs n_layer from the model's config.
void validate_layer(const EmbedOptions& o, const io::ModelConfig& config) {
  if (o.layer > config.n_layer) {
    throw ConfigError("--layer " + std::to_string(o.layer) + " is out of range 0.." +
                      std::to_string(config.n_layer) + " for " + o.model_dir + " (n_layer = " +
                      std::to_string(config.n_layer) + ")");
  }
}

embed::ComputeSettings compute_settings(const EmbedOptions& o, const model::Caduceus& model) {
  embed::ComputeSettings s;
  s.request.strand = o.strand == "fwd" ? model::Strand::FWD : model::Strand::BOTH;
  s.request.run = o.job.run;
  if (o.job.communicator->size() > 1) s.request.comm = o.job.communicator.get();
  if (o.layer >= 0) s.request.layer = o.layer;
  s.request.want_logits = o.logits;
  s.width = s.request.strand == model::Strand::FWD ? model.hidden_width() : model.config().d_model;
  s.pool = o.pool == "mean";
  s.per_position = o.per_position;
  s.logits = o.logits;
  return s;
}

// The memory plan of a batch of windows (model/memory_plan.h): the window (or the whole input when it is
// shorter and its size is known), the batch, the strand passes, and the batch's output matrices.
model::MemoryPlan plan_embed(const EmbedOptions& o, const model::Caduceus& model, const embed::ComputeSettings& s,
                             int64_t total_bases) {
  model::PlanRequest r = model::PlanRequest::with(o.job.run);
  r.window = total_bases > 0 ? std::min(o.window, total_bases) : o.window;
  r.batch = o.job.batch, r.ranks = o.job.communicator->size();
  r.want_final_hidden = o.layer < 0, r.want_logits = o.logits, r.captures = o.layer >= 0 ? 1 : 0;
  r.passes = s.request.strand == model::Strand::BOTH && !model.config().rcps ? 2 : 1;
  // Per token: the batch's output rows, one strand result, the token ids. With ranks the plan counts a rank's
  // share of command_bytes; the output rows are the exception: rank 0 gathers them whole, and the plan is its.
  const int64_t rows = (o.per_position ? s.width * (o.dtype == "f16" ? 2 : 4) : 0) + (o.logits ? 16 : 0);
  r.command_bytes = r.batch * r.window * (rows * r.ranks + s.width * 4 + 4);
  return model::plan_memory(model.weights(), r);
}

// A job that this run started from nothing and that failed on its input leaves nothing behind: --resume
// could not use it (the same input fails the same way).
void discard_new_job(std::unique_ptr<output::Job>& job) {
  job->discard();
  job.reset();
}

// The pipeline, the --resume consistency check and finish(); on an input error a new job is discarded.
// With ranks, only rank 0 holds the job (`job` is null on the others, which compute their shards alone).
void run_job(const EmbedOptions& o, std::unique_ptr<output::Job>& job, embed::WindowReader& reader,
             const model::Caduceus& model, const embed::ComputeSettings& settings, core::ProgressMeter& progress,
             int64_t skip) {
  if (!job) {
    embed::run_pipeline(reader, model, settings, nullptr, progress, skip);
    return;
  }
  try {
    const embed::PipelineTotals totals = embed::run_pipeline(reader, model, settings, job.get(), progress, skip);
    if (reader.n_shard_windows() < skip) {
      throw InputError(o.output + ": --resume: the unfinished job holds " + std::to_string(skip) +
                       " windows, but this shard of " + o.input + " has only " +
                       std::to_string(reader.n_shard_windows()) + "; the input changed since the first run");
    }
    progress.update({reader.n_records(), skip + totals.windows, totals.tokens, reader.n_bases(), 0});
    progress.finish();
    job->finish(reader.n_windows_total());
    log::info("wrote " + std::to_string(skip + totals.windows) + " of " + std::to_string(reader.n_windows_total()) +
              " windows (" + std::to_string(reader.n_records()) + " records, " + std::to_string(reader.n_bases()) +
              " bases; computed " + std::to_string(totals.tokens) + " tokens in this run) to " + o.output);
  } catch (const core::Interrupted& e) {  // SIGINT/SIGTERM: the batches stay, the message says how to go on
    progress.finish();
    throw job->interrupted(e, "windows");
  } catch (const Error& e) {
    progress.finish();  // the error line starts on a line of its own
    if (is_bad_input(e) && skip == 0) discard_new_job(job);
    throw;
  } catch (...) {
    progress.finish();
    throw;
  }
}

/// Rank 0's log of a run over ranks: every rank's peak memory, and the time each spent in communication (its
/// collectives, waiting for the slowest rank included) and what it sent, per mixer call (one layer of one
/// pass: the halo and summary exchanges of both directions).
void log_ranks_summary(parallel::Communicator& comm, double start_wall) {
  const auto* counted = dynamic_cast<const parallel::CountingCommunicator*>(&comm);
  parallel::CommunicationTally tally = counted ? counted->tally() : parallel::CommunicationTally{};
  const double wall = core::wall_seconds() - start_wall;
  const float mine[3] = {static_cast<float>(static_cast<double>(core::peak_rss_bytes()) / 1e9),
                         static_cast<float>(tally.seconds), static_cast<float>(wall)};
  std::vector<float> all(3 * static_cast<size_t>(comm.size()));
  comm.all_gather(mine, all);
  std::string memory, communication;
  for (size_t r = 0; r < all.size() / 3; ++r) {
    memory += (memory.empty() ? "" : ", ") + std::to_string(all[3 * r]).substr(0, 5);
    const double share = all[3 * r + 2] > 0.0f ? 100.0 * all[3 * r + 1] / all[3 * r + 2] : 0.0;
    communication += (communication.empty() ? "" : ", ") + std::to_string(share).substr(0, 4) + "%";
  }
  log::info("peak RSS per rank (GB, rank 0 first): " + memory);
  const int64_t calls = tally.layer_collectives / 4;  // 4 exchanges per mixer call
  log::info("communication per rank (share of wall time, rank 0 first): " + communication + "; rank 0 sent " +
            std::to_string(tally.bytes_sent) + " bytes in " + std::to_string(tally.collectives) + " collectives, " +
            (calls > 0 ? std::to_string(tally.layer_bytes_sent / calls) : std::string("0")) +
            " bytes per mixer call (" + std::to_string(calls) + " calls)");
}

}  // namespace

void run_embed(const EmbedOptions& options) {
  if (options.job.quiet) log::set_level(log::Level::WARNING);
  // Every option is checked before any I/O.
  const EmbedOptions o = embed::resolve_options(options);
  if (o.job.communicator->rank() > 0) log::set_level(log::Level::WARNING);  // rank 0 logs for the job
  const core::ProgressMode progress_mode = core::parse_progress_mode(o.job.progress);
  core::set_num_threads(o.job.threads);
  check_output_writable(o.output);

  // Cheap checks next: the model folder, its config and --layer, the regions and the input's first record,
  // all before the weights load and before anything is written.
  const fs::path model_dir = o.model_dir;
  require_model_folder(model_dir);
  const io::ModelConfig config = io::read_model_config(model_dir / "config.json");
  validate_layer(o, config);
  const io::InputSpec spec = embed::input_spec(o);
  std::unique_ptr<io::SequenceSource> source = io::open_sequence_source(spec);
  io::SequenceRecord first;
  if (!source->next(first)) throw InputError(o.input + ": no sequence records");
  embed::check_record_not_empty(o.input, first);
  const bool sequence_input = embed::is_sequence_input(spec, *source);
  embed::check_read_options(o, sequence_input);
  const int64_t total_bases = embed::known_total_bases(spec, *source, sequence_input);

  const model::Caduceus model = model::Caduceus::load(model_dir);
  const std::string& sha256 = model.weights().sha256;
  const embed::ComputeSettings settings = compute_settings(o, model);
  const model::MemoryPlan plan = plan_embed(o, model, settings, total_bases);  // refuses what cannot fit
  log::info(plan.summary());
  // With ranks (--comm), every rank reads the input and computes its shard of every window; rank 0 alone
  // writes the output and logs, and tells the others where --resume starts.
  parallel::Communicator& comm = *o.job.communicator;
  std::unique_ptr<output::Job> job;
  double resume_state[2] = {0.0, 0.0};  // windows committed, complete (rank 0's; summed over the ranks)
  if (comm.rank() == 0) {
    const output::EmbeddingsLayout layout{settings.width, o.per_position, o.logits, o.dtype == "f16", settings.pool};
    const output::JobIdentity identity{embed::job_signature(o, sha256), o.job.shard_index, o.job.shard_count};
    job = std::make_unique<output::Job>(o.output, std::make_shared<output::EmbeddingsFormat>(layout),
                                        embed::root_attributes(o, sha256, config.json_text, config.kind()), identity,
                                        o.job.resume);
    resume_state[0] = static_cast<double>(job->n_committed());
    resume_state[1] = job->already_complete() ? 1.0 : 0.0;
  }
  comm.all_reduce_sum(resume_state);
  if (resume_state[1] > 0.0) {  // --resume after a run that finished: nothing to compute
    if (job) {
      job->finish(job->n_committed());
      log::info(o.output + " is already complete (" + std::to_string(job->n_committed()) + " windows); nothing to resume");
      log_run_summary(*o.job.context);
    }
    return;
  }
  const auto skip = static_cast<int64_t>(resume_state[0]);
  if (skip > 0) log::info("resuming " + o.output + ": " + std::to_string(skip) + " windows already done");
  log::info("embedding " + o.input + " with " + config.kind() + " (d_model " + std::to_string(config.d_model) +
            ", n_layer " + std::to_string(config.n_layer) + "), strand " + o.strand + ", width " +
            std::to_string(settings.width) + ", window " + std::to_string(o.window) + ", stride " +
            std::to_string(o.stride) + ", batch " + std::to_string(o.job.batch) + ", " + core::threads_description() +
            (o.job.shard_count > 1 ? ", shard " + o.job.shard : std::string()) +
            (comm.size() > 1 ? ", each window split over " + std::to_string(comm.size()) + " " + comm.name() + " ranks"
                             : std::string()));

  embed::WindowReader reader(std::move(source), std::move(first), tokenize::WindowPlan(o.window, o.stride),
                             embed::ShardSelection{o.job.shard_index, o.job.shard_count, skip}, o.job.batch,
                             !spec.regions.empty());
  core::ProgressMeter progress(
      comm.rank() == 0 && core::progress_enabled(progress_mode, o.job.quiet, ::isatty(STDERR_FILENO) == 1), stderr,
      total_bases);
  run_job(o, job, reader, model, settings, progress, skip);
  if (comm.size() > 1) log_ranks_summary(comm, o.job.context ? o.job.context->start_wall : 0.0);
  if (comm.rank() == 0) log_run_summary(*o.job.context);
}

}  // namespace genomamba::apps
