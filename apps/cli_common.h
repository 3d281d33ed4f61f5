#pragma once
// Option checks and helpers shared by the subcommands (embed, score, ism, merge). Not a public API.
#include <cstdint>
#include <string>
#include <utility>

#include "commands.h"
#include "core/error.h"
#include "output/root_attributes.h"

namespace CLI {
class App;
class Validator;
}  // namespace CLI

namespace genomamba::apps {

/// An integer option's lower bound, with a message that names the bound (CLI11's own prints DBL_MAX).
CLI::Validator at_least(long long minimum);
/// -@/--threads: 0 (all cores available to the process) up to core::kMaxThreads.
void add_threads_option(CLI::App* sub, int& threads);

/// What the shared options say that differs between commands: what one --batch unit is, and what --shard
/// splits.
struct JobOptionTexts {
  std::string batch;  ///< e.g. "Windows per batch: the unit of computing, writing and --resume"
  std::string shard;  ///< e.g. "Compute shard i of N (0-based): the windows whose index is i modulo N; ..."
};

/// --batch, --tile, -@/--threads, --shard, --resume, --progress and -q/--quiet, into `job`: the options every
/// job command shares, declared once.
void add_job_options(CLI::App* sub, JobOptions& job, const JobOptionTexts& texts);
/// --shard: "i/N" with 0 <= i < N.
CLI::Validator shard_spec();
/// Parses --shard "i/N" (0-based i, 0 <= i < N). @throws ConfigError naming --shard.
std::pair<int64_t, int64_t> parse_shard(const std::string& text);
/// Parses a memory size: a whole number of bytes with an optional K, M, G or T (powers of 1024; "8G", "512M").
/// @throws UsageError naming `flag` and the text.
int64_t parse_memory_size(const std::string& text, const std::string& flag);
/// Fills the parsed fields of `job` (shard_index/shard_count, max_memory_bytes, run) from what was typed.
/// @throws UsageError for a malformed --device or --dtype; ConfigError for a device this machine or build lacks
/// (no GPU visible, an index out of range, a build without CUDA) or a dtype the device has no kernels for.
void resolve_job_options(JobOptions& job);
/// The device a job runs on when --device is not given: a GPU ("cuda") when CUDA_VISIBLE_DEVICES names one (a
/// scheduler's GPU allocation sets it), else "cpu".
std::string default_device_text();
/// --device "auto": the first GPU when one is visible, else the CPU; otherwise core::parse_device, checked
/// against what this machine and build have; errors start with `origin` (the flag, or the variable).
/// @throws as resolve_job_options.
core::Device resolve_device(const std::string& text, const std::string& origin);
/// --comm: "auto" is MPI when this build has it and the process was started with more than one rank (NCCL when
/// those ranks run on GPUs and the build has it), else a single process; "mpi" stages GPU buffers through the
/// host, "nccl" needs --device cuda. With several ranks and a GPU device whose index was not given, each rank
/// takes the GPU of its rank on the node (`device` is changed). @throws ConfigError for mpi or nccl in a build
/// without them.
std::shared_ptr<parallel::Communicator> resolve_communicator(const std::string& text, core::Device& device,
                                                             bool device_index_given);

/// The output's folder must exist and be writable (checked before the input is read or the model loaded).
/// @throws InputError "<output>: cannot create output file: ..."
void check_output_writable(const std::string& output);

/// `path` made absolute and normal ("" and "-" unchanged): how input paths are recorded.
std::string absolute_path(const std::string& path);

/// The root attributes every output shares (design §8): `format`, version, command line, model path (made
/// absolute), sha256, config text and kind, and `created`; the caller adds strand, window, inputs and extras.
/// The job's device and compute dtype are recorded too (extra attributes `device`, `compute_dtype`).
output::RootAttributes base_root_attributes(const std::string& format, const JobOptions& job,
                                            const std::string& model_dir, const std::string& model_sha256,
                                            const std::string& model_config, const std::string& model_kind);
/// The job-signature lines of the job's run settings that change results beyond fp32 rounding: the device kind
/// (a CPU and a GPU agree to 1e-4, not bit for bit, so --resume does not mix them in one output; GPUs of one
/// kind are interchangeable) and the compute dtype.
std::string run_signature(const JobOptions& job);

/// Bad input or config (exit 1): a new job that failed on it is discarded, since --resume could not use it.
bool is_bad_input(const Error& e);

}  // namespace genomamba::apps
