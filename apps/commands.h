#pragma once
// The subcommands of the genomamba binary: one file each (apps/<cmd>.cpp) with an options struct,
// setup_<cmd>(CLI::App&, const RunContext&) and run_<cmd>(const <Cmd>Options&). main.cpp wires them
// and is the only place that reports errors.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "model/caduceus.h"

namespace genomamba::output {
class JobFormat;
}  // namespace genomamba::output

namespace CLI {
class App;
}  // namespace CLI

namespace genomamba::apps {

/// What main knows about this run: the command line as typed and when the process started.
struct RunContext {
  std::string command_line;
  double start_wall = 0.0;  ///< core::wall_seconds() at the start of main
};

/// The options every job command (embed, score, ism) shares, declared once (add_job_options, cli_common.h).
struct JobOptions {
  int64_t batch = 1;                 ///< the unit of computing, writing and --resume (each command's default)
  int64_t tile = 0;                  ///< tokens per tile of the scan; 0: the device's default
  std::string device{};             ///< --device as typed: cpu, cuda, cuda:<i> or auto; "": from CUDA_VISIBLE_DEVICES
  std::string compute_dtype = "f32"; ///< --compute-dtype as typed (embed's --dtype is the stored type)
  std::string comm = "auto";         ///< --comm as typed: auto, none, mpi or nccl
  int threads = 0;                   ///< 0: OMP_NUM_THREADS, else SLURM_CPUS_PER_TASK, else all cores
  std::string shard = "0/1";         ///< --shard i/N as typed
  int64_t shard_index = 0;           ///< i, parsed from `shard`
  int64_t shard_count = 1;           ///< N, parsed from `shard`
  bool resume = false;
  std::string progress = "auto";     ///< auto | always | never
  bool quiet = false;
  bool exit_summary = true;          ///< false for a rank's part of a data-parallel job (rank 0 sums up at the end)
  std::string max_memory{};          ///< --max-memory as typed ("" = 90% of the machine's memory)
  int64_t max_memory_bytes = 0;      ///< parsed from `max_memory`; 0: the default
  /// Parsed from device, compute_dtype, tile and max_memory: where and how the job's forwards run.
  model::RunSettings run{};
  /// Parsed from comm: the ranks one sequence is split over (a single process when none).
  std::shared_ptr<parallel::Communicator> communicator{};
  const RunContext* context = nullptr;
};

/// `genomamba embed` (apps/embed*.cpp). Defaults are the documented ones.
struct EmbedOptions {
  std::string model_dir;
  std::string input;                 ///< FASTA/FASTQ/SAM/BAM/CRAM, or "-" for standard input
  std::string output;
  std::vector<std::string> regions;  ///< -r, samtools syntax, in the order given
  std::string bed;                   ///< -R: BED file of regions (after the -r ones)
  std::string reference;             ///< -f: reference FASTA for CRAM
  int exclude_flags = 0x900;         ///< -F: skip reads with any of these SAM flag bits
  int min_mapq = 0;
  int64_t window = 131072;
  int64_t stride = 0;                ///< 0: equal to window
  std::string pool = "mean";         ///< mean | none
  bool per_position = false;
  bool logits = false;
  int layer = -1;  ///< HF hidden_states[K]; -1: the final hidden state
  std::string strand = "both";
  std::string dtype = "f32";
  JobOptions job{8};  ///< batch: windows per batch
};

/// `genomamba score` (apps/score*.cpp). Defaults are the documented ones.
struct ScoreOptions {
  std::string model_dir;
  std::string variants;              ///< VCF, VCF.gz, BCF, or "-" for standard input
  std::string reference;             ///< -f: indexed reference FASTA
  std::string output;                ///< .h5, .vcf, .vcf.gz, .bcf, .tsv, or "-" (VCF on standard output)
  std::string output_type;           ///< -O v|z|b|u; empty: from the suffix
  std::string scores = "llr,wt_llr,emb_cos,emb_l2";
  int64_t window = 4096;
  std::string strand = "both";
  std::string ref_mismatch = "flag";  ///< error | skip | flag
  std::vector<std::string> regions;  ///< -r, samtools syntax
  bool save_embeddings = false;
  JobOptions job{32};  ///< batch: VCF records per batch
};

/// `genomamba ism` (apps/ism.cpp).
struct IsmOptions {
  std::string model_dir;
  std::string reference;
  std::string region;
  std::string output;
  int64_t window = 4096;
  std::string strand = "both";
  bool masked = false;               ///< llr (masked marginal) instead of wt_llr
  JobOptions job{256};  ///< batch: positions per batch
};

void setup_score(CLI::App& app, const RunContext& context);
void run_score(const ScoreOptions& options);

void setup_ism(CLI::App& app, const RunContext& context);
void run_ism(const IsmOptions& options);

struct InspectOptions {
  std::string model_dir;
  int64_t plan_length = 0;   ///< --plan-length: print the memory plan for sequences of this many tokens
  int64_t plan_batch = 1;    ///< --batch: sequences per batch for the plan
  int64_t tile = 0;          ///< 0: the device's default
  std::string device = "cpu";  ///< --device: the device to plan for (need not be visible here)
  int64_t ranks = 1;         ///< --ranks: processes one sequence is split over
  std::string max_memory;    ///< --max-memory as typed
  bool mem_mb = false;       ///< --mem-mb: print only the host memory a run needs, in MiB (for a scheduler)
};

void setup_embed(CLI::App& app, const RunContext& context);
void run_embed(const EmbedOptions& options);

void setup_inspect(CLI::App& app, const RunContext& context);
void run_inspect(const InspectOptions& options);

/// "0.1.0 (git abc123def456)"
std::string version_string();
/// "genomamba 0.1.0 (git abc123def456) backends: cpu,mpi" (what --version prints)
std::string version_line();
/// The argv words joined with spaces, shell-quoted where needed.
std::string join_command_line(int argc, const char* const* argv);
/// minimap2-style exit summary on stderr: version, command line, wall and CPU time, peak RSS.
void log_run_summary(const RunContext& context);

/// @throws InputError "<dir>: model folder not found" unless `dir` is a directory.
void require_model_folder(const std::filesystem::path& dir);

// genomamba merge (apps/merge.cpp)
struct MergeOptions {
  std::string output;
  std::vector<std::string> shards;
  bool quiet = false;
  const RunContext* context = nullptr;
};

void setup_merge(CLI::App& app, const RunContext& context);
void run_merge(const MergeOptions& options);
/// The job format of shard files, read from the first one; the suffix of `out` picks the output type where the
/// format has several (score: .h5, .vcf, .vcf.gz, .bcf, .tsv). @throws ConfigError / InputError naming them.
std::shared_ptr<const output::JobFormat> format_of_shards(const std::filesystem::path& first,
                                                          const std::filesystem::path& out);

}  // namespace genomamba::apps
