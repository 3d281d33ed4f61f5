// Option checks shared by the subcommands (embed, score, ism, merge).
#include "cli_common.h"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>

#include "core/device.h"
#include "core/error.h"
#include "model/engine.h"
#include "parallel/counting_communicator.h"
#include "parallel/mpi_communicator.h"
#include "parallel/nccl_communicator.h"
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
                  "CPU threads; 0: OMP_NUM_THREADS when set, else SLURM_CPUS_PER_TASK when set, else all cores "
                  "available to this process; more than those cores are capped, with a warning")
      ->check(CLI::Range(0, core::kMaxThreads))
      ->capture_default_str();
}

void add_job_options(CLI::App* sub, JobOptions& job, const JobOptionTexts& texts) {
  sub->add_option("--batch", job.batch, texts.batch)->check(at_least(1))->capture_default_str();
  sub->add_option("--tile", job.tile,
                  "Tokens per tile of the scan (bounds scratch memory; results do not depend on it) "
                  "[default: 2048 on the CPU, 1048576 on a GPU]")
      ->check(at_least(1));
  sub->add_option("--device", job.device,
                  "Where the model runs: cpu, cuda (the first GPU; with several ranks, each rank's own), cuda:<i>, "
                  "or auto (the first GPU when one is visible, else the CPU) [default: cuda when "
                  "CUDA_VISIBLE_DEVICES names a GPU, as a scheduler's GPU allocation does, else cpu]");
  sub->add_option("--comm", job.comm,
                  "Ranks one sequence is split over: auto (when started by mpirun or srun with more than one rank: "
                  "NCCL for GPU ranks where built with it, else MPI), none, mpi (GPU buffers staged through the "
                  "host), or nccl (GPU ranks)")
      ->check(CLI::IsMember({"auto", "none", "mpi", "nccl"}))
      ->capture_default_str();
  sub->add_option("--compute-dtype", job.compute_dtype,
                  "Activation type of the forward: f32 (bf16, for GPUs, is not implemented yet; scan states and "
                  "sums stay f32)")
      ->check(CLI::IsMember({"f32", "bf16"}))
      ->capture_default_str();
  add_threads_option(sub, job.threads);
  sub->add_option("--shard", job.shard, texts.shard)->check(shard_spec())->capture_default_str();
  sub->add_flag("--resume", job.resume,
                "Continue an interrupted run of the same command from its last finished batch "
                "(OUT.partial.d/); starts afresh when there is none");
  sub->add_option("--progress", job.progress, "Progress line on stderr: auto (when stderr is a terminal), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  sub->add_flag("-q,--quiet", job.quiet, "Log warnings and errors only (no progress, no exit summary)");
  sub->add_option("--max-memory", job.max_memory,
                  "Memory the run may plan for on its device, e.g. 8G or 512M (default: 90% of the machine's or "
                  "the job allocation's memory; on a GPU, 90% of its free memory). The plan picks the faster "
                  "whole-sequence mode when it fits and refuses a run that cannot fit before any work");
}

int64_t parse_memory_size(const std::string& text, const std::string& flag) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const std::string suffix = text.substr(digits);
  int shift = -1;
  if (suffix.empty() || suffix == "B") shift = 0;
  if (suffix == "K" || suffix == "k") shift = 10;
  if (suffix == "M" || suffix == "m") shift = 20;
  if (suffix == "G" || suffix == "g") shift = 30;
  if (suffix == "T" || suffix == "t") shift = 40;
  if (digits == 0 || digits > 12 || shift < 0) {
    throw UsageError(flag + " '" + text + "': expected a size such as 8G, 512M or 1000000 (bytes)");
  }
  const int64_t value = std::stoll(text.substr(0, digits));
  if (value == 0 || value > (INT64_C(1) << (62 - shift))) throw UsageError(flag + " '" + text + "': out of range");
  return value << shift;
}

std::string default_device_text() {
  const char* visible = std::getenv("CUDA_VISIBLE_DEVICES");
  if (visible == nullptr) return "cpu";
  const std::string list = visible;
  // Empty, "-1" or "NoDevFiles" (what some schedulers set for a job without GPUs): no GPU asked for.
  if (list.empty() || list == "-1" || list == "NoDevFiles") return "cpu";
  return "cuda";
}

core::Device resolve_device(const std::string& text, const std::string& origin) {
  const int visible = core::cuda_device_count();
  if (text == "auto") return visible > 0 ? core::Device::cuda(0) : core::Device::cpu();
  const core::Device device = core::parse_device(text);
  if (device.is_cpu()) return device;
  if (!core::built_with_cuda()) {
    throw ConfigError(origin + ": this genomamba was built without CUDA (rebuild where nvcc is found, or use "
                      "--device cpu)");
  }
  if (visible == 0) throw ConfigError(origin + ": no CUDA GPU is visible (see CUDA_VISIBLE_DEVICES)");
  if (device.index >= visible) {
    throw ConfigError(origin + ": only " + std::to_string(visible) + " CUDA GPU(s) are visible (cuda:0.." + "cuda:" +
                      std::to_string(visible - 1) + ")");
  }
  return device;
}

void resolve_job_options(JobOptions& job) {
  std::tie(job.shard_index, job.shard_count) = parse_shard(job.shard);
  job.max_memory_bytes = job.max_memory.empty() ? 0 : parse_memory_size(job.max_memory, "--max-memory");
  std::string device = job.device, origin = "--device " + job.device;
  if (device.empty()) {  // not given: what the job's environment asks for (a scheduler's GPU allocation)
    device = default_device_text();
    origin = "CUDA_VISIBLE_DEVICES=" + std::string(std::getenv("CUDA_VISIBLE_DEVICES") ? std::getenv("CUDA_VISIBLE_DEVICES") : "") +
             " (no --device given)";
  }
  job.run.device = resolve_device(device, origin);
  job.run.dtype = core::parse_dtype(job.compute_dtype);
  if (job.run.dtype != core::DType::F32) {
    throw ConfigError(std::string("--compute-dtype ") + core::dtype_name(job.run.dtype) +
                      ": bf16 activations are not implemented yet; use --compute-dtype f32");
  }
  job.run.max_memory = job.max_memory_bytes;
  job.communicator = resolve_communicator(job.comm, job.run.device, device.find(':') != std::string::npos);
  if (job.communicator->size() > 1) {  // counted, for the exit summary's share of communication
    job.communicator = std::make_shared<parallel::CountingCommunicator>(std::move(job.communicator));
  }
  job.run.tile = job.tile > 0 ? job.tile : model::default_tile(job.run.device);
}

std::shared_ptr<parallel::Communicator> resolve_communicator(const std::string& text, core::Device& device,
                                                             bool device_index_given) {
  if (text == "none") return parallel::make_single_process();
  if (text == "nccl" && device.is_cpu()) {
    throw ConfigError("--comm nccl: NCCL connects GPU ranks; give --device cuda (or use --comm mpi on the CPU)");
  }
  if (text == "nccl" && !parallel::built_with_nccl()) static_cast<void>(parallel::make_nccl(nullptr, device));  // throws
  const bool launched = parallel::built_with_mpi() && parallel::launched_with_ranks();
  if (text == "auto" && !launched) return parallel::make_single_process();
  std::unique_ptr<parallel::Communicator> mpi = parallel::make_mpi();
  if (mpi->size() > 1 && !device.is_cpu() && !device_index_given) {
    // Several ranks on a node that each see its GPUs: rank i of the node takes GPU i (modulo their count); under
    // srun --gpus-per-task=1 each sees one GPU, cuda:0.
    device.index = parallel::local_rank() % std::max(1, core::cuda_device_count());
  }
  const bool nccl = text == "nccl" || (text == "auto" && mpi->size() > 1 && !device.is_cpu() && parallel::built_with_nccl());
  if (!nccl) return mpi;
  return parallel::make_nccl(std::move(mpi), device);
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

output::RootAttributes base_root_attributes(const std::string& format, const JobOptions& job,
                                            const std::string& model_dir, const std::string& model_sha256,
                                            const std::string& model_config, const std::string& model_kind) {
  output::RootAttributes a;
  a.format = format;
  a.format_version = 1;
  a.genomamba_version = version_string();
  a.command_line = job.context ? job.context->command_line : std::string();
  a.extra["device"] = job.run.device.is_cpu() ? "cpu" : job.run.device.name() + " (" +
                                                            core::cuda_device_name(job.run.device.index) + ")";
  a.extra["compute_dtype"] = core::dtype_name(job.run.dtype);
  if (job.communicator && job.communicator->size() > 1) {
    a.extra["ranks"] = job.communicator->name() + ", " + std::to_string(job.communicator->size()) + " ranks";
  }
  a.model_path = absolute_path(model_dir);
  a.model_sha256 = model_sha256;
  a.model_config = model_config;
  a.model_kind = model_kind;
  a.created = output::iso8601_utc_now();
  return a;
}

std::string run_signature(const JobOptions& job) {
  const int ranks = job.communicator ? job.communicator->size() : 1;
  return std::string("device_kind=") + (job.run.device.is_cpu() ? "cpu" : "cuda") + "\ncompute_dtype=" +
         core::dtype_name(job.run.dtype) + "\n" + (ranks > 1 ? "ranks=" + std::to_string(ranks) + "\n" : "");
}

bool is_bad_input(const Error& e) {
  return dynamic_cast<const InputError*>(&e) != nullptr || dynamic_cast<const ConfigError*>(&e) != nullptr;
}

}  // namespace genomamba::apps
