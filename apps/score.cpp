// genomamba score: the variants of a VCF/BCF scored against an indexed reference FASTA (design §7, §9),
// written as HDF5, VCF/BCF (INFO GM_*) or TSV; sharded and resumable through the same job as embed.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <optional>
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
#include "model/caduceus.h"
#include "output/job.h"
#include "output/variant_scores_format.h"
#include "output/vcf_scores_writer.h"
#include "run_files.h"
#include "score_internal.h"

namespace genomamba::apps {

namespace fs = std::filesystem;

void setup_score(CLI::App& app, const RunContext& context) {
  auto o = std::make_shared<ScoreOptions>();
  o->job.context = &context;
  CLI::App* sub = app.add_subcommand(
      "score",
      "Score the variants of a VCF/BCF with a Caduceus model against an indexed reference FASTA.\n"
      "Multi-allelic records are split into one row per ALT. Scores (docs/scores.md): llr (masked marginal,\n"
      "SNV/MNV), wt_llr (wild-type marginal, SNV/MNV; variants of one window share a pass), emb_cos and\n"
      "emb_l2 (distance between mean embeddings of REF and ALT windows; every allele class). Negative llr:\n"
      "the model finds ALT less likely than REF. The output type follows the suffix: .h5 (docs/formats.md),\n"
      ".vcf/.vcf.gz/.bcf (the input records plus INFO GM_LLR, GM_WT_LLR, GM_EMB_COS, GM_EMB_L2; Number=A),\n"
      ".tsv (one row per allele); '-' writes VCF to standard output.");
  sub->add_option("-m,--model", o->model_dir, "Model folder: a Hugging Face Caduceus checkpoint")->required();
  sub->add_option("-v,--variants", o->variants, "Variants: VCF, bgzipped VCF or BCF; '-' reads standard input")
      ->required();
  sub->add_option("-f,--reference", o->reference,
                  "Reference FASTA (plain or bgzip) with its .fai (and .gzi): 'samtools faidx REF.fa'")
      ->required();
  sub->add_option("-o,--output", o->output, "Output: .h5, .vcf, .vcf.gz, .bcf, .tsv, or '-' (VCF on stdout)")
      ->required();
  sub->add_option("-O,--output-type", o->output_type,
                  "VCF/BCF encoding as bcftools -O: v (VCF), z (bgzipped VCF), b (BCF), u (uncompressed BCF); "
                  "overrides the suffix")
      ->check(CLI::IsMember({"v", "z", "b", "u"}));
  sub->add_option("--scores", o->scores, "Comma-separated scores: llr, wt_llr, emb_cos, emb_l2")->capture_default_str();
  sub->add_option("--window", o->window, "Window length in bases around each variant")
      ->check(at_least(1))
      ->capture_default_str();
  sub->add_option("--strand", o->strand,
                  "fwd: the forward strand only; both: mean with the reverse-complement strand (PH: a second "
                  "pass; PS: equal by construction)")
      ->check(CLI::IsMember({"fwd", "both"}))
      ->capture_default_str();
  sub->add_option("--ref-mismatch", o->ref_mismatch,
                  "REF differing from the FASTA: flag (status 1, scores NaN), skip (rows left out of .h5/.tsv; "
                  "VCF records kept without values), error (stop, exit 1)")
      ->check(CLI::IsMember({"error", "skip", "flag"}))
      ->capture_default_str();
  sub->add_option("-r,--region", o->regions,
                  "Only variants in chr, chr:beg or chr:beg-end (1-based, inclusive); repeatable. Uses the "
                  ".tbi/.csi index when there is one, else streams")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_flag("--save-embeddings", o->save_embeddings,
                "Also write the mean REF and ALT window embeddings to /embeddings/ref and /embeddings/alt (.h5 only)");
  add_job_options(sub, o->job,
                  {"VCF records per batch: the unit of computing, writing and --resume",
                   "Score shard i of N (0-based): the records whose index in the input is i modulo N; write .h5 "
                   "and combine with 'genomamba merge' (to any output type)"});
  sub->footer(
      "Example:\n"
      "  genomamba score -m caduceus-ph -v calls.vcf.gz -f GRCh38.fa.gz -o scored.vcf.gz\n"
      "  bcftools query -f '%CHROM\\t%POS\\t%REF\\t%ALT\\t%INFO/GM_LLR\\n' scored.vcf.gz\n"
      "  # SNVs only, one score, a region, HDF5 with embeddings\n"
      "  genomamba score -m caduceus-ph -v calls.bcf -f ref.fa -o chr1.h5 --scores llr \\\n"
      "      -r chr1:1-5,000,000 --save-embeddings\n"
      "  # 4 shards (e.g. a Slurm array), then one annotated VCF\n"
      "  genomamba score -m caduceus-ph -v calls.vcf.gz -f ref.fa -o part0.h5 --shard 0/4 --resume\n"
      "  genomamba merge -o scored.vcf.gz part0.h5 part1.h5 part2.h5 part3.h5");
  sub->callback([o] { run_score(*o); });
}

namespace {

bool has_tsv_suffix(const std::string& path) {
  std::string lower = path;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.size() > 4 && lower.compare(lower.size() - 4, 4, ".tsv") == 0;
}

ScoreOptions resolve_options(const ScoreOptions& options) {
  ScoreOptions o = options;
  resolve_job_options(o.job);
  if (o.job.communicator->size() > 1 && !o.output_type.empty()) {
    throw UsageError("-O " + o.output_type + " with ranks: name the output type by the suffix of -o (" + o.output + ")");
  }
  static_cast<void>(output::parse_score_list(o.scores));  // ConfigError naming --scores
  if (o.window < 1) throw UsageError("--window " + std::to_string(o.window) + ": must be at least 1");
  const bool h5 = output::is_h5_output_path(o.output);
  if (o.save_embeddings && !h5) throw UsageError("--save-embeddings needs an .h5 output (-o); got " + o.output);
  if (o.job.shard_count > 1 && !h5) {
    throw UsageError("--shard writes .h5 shard files (-o part<i>.h5); 'genomamba merge' then writes any output type");
  }
  if (!h5 && o.output_type.empty() && o.output != "-" && !output::vcf_output_type_from_suffix(o.output) &&
      !has_tsv_suffix(o.output)) {
    throw UsageError(o.output + ": unknown output type; use .h5, .vcf, .vcf.gz, .bcf or .tsv (or -O)");
  }
  if (!o.output_type.empty() && h5) throw UsageError("-O " + o.output_type + " applies to VCF/BCF outputs, not " + o.output);
  if (o.variants == "-" && !o.regions.empty()) {
    // Standard input has no index; the records are filtered as they stream by.
    log::debug("-r on standard input: streaming and filtering");
  }
  std::error_code ec;
  if (o.output != "-" && fs::is_directory(o.output, ec)) throw ConfigError(o.output + ": output path (-o) is a directory");
  std::vector<std::string> inputs = model_files(o.model_dir);
  for (const std::string& path : {o.variants, o.reference}) {
    for (std::string& file : with_companions(path)) inputs.push_back(std::move(file));
  }
  check_output_spares_inputs(o.output, inputs);
  return o;
}

std::string job_signature(const ScoreOptions& o, const std::string& model_sha256) {
  std::string s = "genomamba-variant-scores job 1\n";
  const auto add = [&s](const std::string& key, const std::string& value) { s += key + "=" + value + "\n"; };
  add("model_sha256", model_sha256);
  s += input_fingerprint("variants", o.variants);
  s += input_fingerprint("reference", o.reference);
  for (const std::string& region : o.regions) add("region", region);
  add("scores", o.scores);
  add("window", std::to_string(o.window));
  add("strand", o.strand);
  add("ref_mismatch", o.ref_mismatch);
  add("save_embeddings", o.save_embeddings ? "1" : "0");
  return s + run_signature(o.job);
}

output::RootAttributes root_attributes(const ScoreOptions& o, const model::Caduceus& model,
                                       const io::VcfReader& vcf) {
  output::RootAttributes a = base_root_attributes("genomamba-variant-scores", o.job, o.model_dir,
                                                   model.weights().sha256, model.config().json_text,
                                                   model.config().kind());
  a.strand = o.strand;
  a.window = o.window;
  a.stride = 0;
  a.dtype = "f32";
  a.input_paths = {absolute_path(o.variants)};
  a.extra["reference_path"] = absolute_path(o.reference);
  a.extra["scores"] = o.scores;
  a.extra["ref_mismatch"] = o.ref_mismatch;
  a.extra["vcf_header"] = vcf.header_text();
  return a;
}

score::RefMismatch ref_mismatch_policy(const std::string& text) {
  if (text == "error") return score::RefMismatch::ERROR;
  if (text == "skip") return score::RefMismatch::SKIP;
  return score::RefMismatch::FLAG;
}

struct Totals {
  int64_t records = 0;
  int64_t rows = 0;
  int64_t tokens = 0;
};

// read -> compute -> write.
Totals run_job(output::Job& job, score::VariantReader& reader, score::ScoreComputer& computer,
               core::ProgressMeter& progress) {
  Totals totals;
  core::ProgressCounts counts;
  counts.unit = "allele";
  struct Done {
    output::VariantBatch batch;
    int64_t records_read = 0;
    int64_t tokens = 0;
  };
  core::run_pipeline_stages<score::ScoreWork, Done>(
      [&](score::ScoreWork& work) { return reader.next_batch(work); },
      [&](score::ScoreWork&& work) {
        const int64_t tokens = computer.compute(work);
        return Done{std::move(work.batch), work.records_read, tokens};
      },
      [&](Done&& done) {
        job.commit(done.batch);
        totals.records += done.batch.size();
        totals.rows += done.batch.n_variant_rows();
        totals.tokens += done.tokens;
        counts.records = done.records_read;
        counts.windows += done.batch.n_variant_rows();
        counts.tokens = totals.tokens;
        progress.update(counts);
      });
  return totals;
}

}  // namespace

void run_score(const ScoreOptions& options) {
  if (options.job.quiet) log::set_level(log::Level::WARNING);
  const ScoreOptions o = resolve_options(options);
  if (o.job.communicator->size() > 1) {  // data parallel: each rank scores a part, rank 0 merges
    run_job_over_ranks(options.job, o.job, o.output, [&](const std::string& part_output, const JobOptions& part_job) {
      ScoreOptions part = options;
      part.output = part_output, part.job = part_job;
      run_score(part);
    });
    return;
  }
  const core::ProgressMode progress_mode = core::parse_progress_mode(o.job.progress);
  const std::vector<output::ScoreKind> scores = output::parse_score_list(o.scores);
  core::set_num_threads(o.job.threads);
  if (o.output != "-") check_output_writable(o.output);

  // Cheap checks first: the model's config, the reference and its index, the VCF header and contigs.
  const fs::path model_dir = o.model_dir;
  require_model_folder(model_dir);
  static_cast<void>(io::read_model_config(model_dir / "config.json"));
  const io::ReferenceFasta reference(o.reference);
  std::vector<io::VcfContig> reference_contigs;
  for (const io::ReferenceContig& contig : reference.contigs()) reference_contigs.push_back({contig.name, contig.length});
  io::VcfReader vcf(o.variants, o.regions, reference_contigs);
  score::check_contigs(vcf, reference);

  const model::Caduceus model = model::Caduceus::load(model_dir);
  const model::Strand strand = o.strand == "fwd" ? model::Strand::FWD : model::Strand::BOTH;
  log::info(score::plan_scoring(model, strand, o.window, o.job).summary());  // refuses what cannot fit
  score::ScoreComputer computer(model, strand, o.job.run, scores, o.save_embeddings);
  output::VariantScoresLayout layout{scores, o.save_embeddings ? computer.scorer().embedding_width() : 0};
  std::optional<output::VcfOutputType> output_type;
  if (!o.output_type.empty()) output_type = output::parse_vcf_output_type(o.output_type);
  auto format = std::make_shared<output::VariantScoresFormat>(layout, output_type);

  const output::JobIdentity identity{job_signature(o, model.weights().sha256), o.job.shard_index, o.job.shard_count};
  output::Job job(o.output, format, root_attributes(o, model, vcf), identity, o.job.resume);
  if (job.already_complete()) {
    job.finish(job.n_committed());
    log::info(o.output + " is already complete; nothing to resume");
    if (o.job.exit_summary) log_run_summary(*o.job.context);
    return;
  }
  const int64_t skip = job.n_committed();
  if (skip > 0) log::info("resuming " + o.output + ": " + std::to_string(skip) + " records already done");
  log::info("scoring " + o.variants + " against " + o.reference + " with " + model.config().kind() + " (d_model " +
            std::to_string(model.config().d_model) + ", n_layer " + std::to_string(model.config().n_layer) +
            "), scores " + o.scores + ", window " + std::to_string(o.window) + ", strand " + o.strand + ", " +
            core::threads_description() + (o.job.shard_count > 1 ? ", shard " + o.job.shard : std::string()));

  score::ReaderSettings settings;
  settings.scores = scores;
  settings.window = o.window;
  settings.ref_mismatch = ref_mismatch_policy(o.ref_mismatch);
  settings.shard_index = o.job.shard_index;
  settings.shard_count = o.job.shard_count;
  settings.skip = skip;
  settings.batch = o.job.batch;
  settings.save_embeddings = o.save_embeddings;
  score::VariantReader reader(vcf, reference, settings);
  core::ProgressMeter progress(core::progress_enabled(progress_mode, o.job.quiet, ::isatty(STDERR_FILENO) == 1), stderr, -1);
  try {
    const Totals totals = run_job(job, reader, computer, progress);
    if (reader.n_shard_records() < skip) {
      throw InputError(o.output + ": --resume: the unfinished job holds " + std::to_string(skip) +
                       " records, but this shard of " + o.variants + " has only " +
                       std::to_string(reader.n_shard_records()) + "; the input changed since the first run");
    }
    progress.finish();
    job.finish(reader.counts().records);
    const score::ReaderCounts& c = reader.counts();
    log::info("scored " + std::to_string(totals.rows) + " alleles of " + std::to_string(totals.records) +
              " records in this run (" + std::to_string(c.records) + " records in the input; " +
              std::to_string(c.ref_mismatch) + " REF mismatches, " + std::to_string(c.not_scorable) +
              " symbolic/breakend/non-ACGT alleles, " + std::to_string(c.out_of_bounds) +
              " outside the reference (" + std::to_string(c.missing_contig) + " on contigs absent from " +
              o.reference + "); " + std::to_string(totals.tokens) + " tokens computed) to " + o.output);
  } catch (const core::Interrupted& e) {  // SIGINT/SIGTERM: the batches stay, the message says how to go on
    progress.finish();
    throw job.interrupted(e, "records");
  } catch (const Error& e) {
    progress.finish();
    if (is_bad_input(e) && skip == 0) job.discard();
    throw;
  }
  if (o.job.exit_summary) log_run_summary(*o.job.context);
}

}  // namespace genomamba::apps
