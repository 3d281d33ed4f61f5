// genomamba inspect: what a checkpoint directory holds (design §4).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "cli_common.h"
#include "commands.h"
#include "core/device.h"
#include "core/error.h"
#include "model/engine.h"
#include "io/model_config.h"
#include "io/safetensors.h"
#include "model/memory_plan.h"
#include "model/weights.h"

namespace genomamba::apps {

void setup_inspect(CLI::App& app, const RunContext& /*context*/) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* sub = app.add_subcommand("inspect", "Print a model's kind, config, parameter count, tensor table and "
                                                "the sha256 of its model.safetensors (to stdout)");
  sub->add_option("-m,--model", options->model_dir,
                  "Model folder: a Hugging Face Caduceus checkpoint (config.json + model.safetensors)")
      ->required();
  sub->add_option("--plan-length", options->plan_length,
                  "Also print the memory plan of embedding sequences of N tokens (both memory modes, and which one "
                  "a run would take), to size a job before submitting it")
      ->check(at_least(1));
  sub->add_option("--batch", options->plan_batch, "Sequences per batch for --plan-length")
      ->check(at_least(1))
      ->capture_default_str();
  sub->add_option("--tile", options->tile,
                  "Tokens per tile of the scan for --plan-length [default: 2048 on the CPU, 1048576 on a GPU]")
      ->check(at_least(1));
  sub->add_option("--device", options->device,
                  "Device to plan --plan-length for: cpu, cuda or cuda:<i> (a GPU that is not visible here needs "
                  "--max-memory, its memory)")
      ->capture_default_str();
  sub->add_option("--ranks", options->ranks,
                  "Processes one sequence is split over, for --plan-length (each holds its share of the tokens)")
      ->check(at_least(1))
      ->capture_default_str();
  sub->add_option("--max-memory", options->max_memory,
                  "Memory allowed for --plan-length on the device, e.g. 64G (default: 90% of this machine's memory, "
                  "or of the GPU's free memory)");
  sub->add_flag("--mem-mb", options->mem_mb,
                "With --plan-length: print only one integer, the host memory in MiB that a run of that shape "
                "needs in the mode it would take, plus the program's own fixed part (for Snakemake's mem_mb or "
                "sbatch --mem)")
      ->needs("--plan-length");
  sub->footer("Example:\n  genomamba inspect -m data/models/caduceus-ph-untrained-d64-l4\n"
              "  genomamba inspect -m data/models/caduceus-ph-bacterial-d192-l4 --plan-length 1000000 --max-memory 8G\n"
              "  genomamba inspect -m data/models/caduceus-ph-bacterial-d192-l4 --plan-length 10000000 --device cuda "
              "--max-memory 72G\n"
              "  genomamba inspect -m data/models/caduceus-ph-bacterial-d192-l4 --plan-length 16384 --batch 8 --mem-mb");
  sub->callback([options] { run_inspect(*options); });
}

namespace {

void print_config(const io::ModelConfig& c) {
  std::printf("d_model: %d\n", c.d_model);
  std::printf("n_layer: %d\n", c.n_layer);
  std::printf("vocab_size: %d\n", c.vocab_size);
  std::printf("d_state: %d\n", c.d_state);
  std::printf("d_conv: %d\n", c.d_conv);
  std::printf("expand: %d\n", c.expand);
  std::printf("d_inner: %d\n", c.d_inner);
  std::printf("dt_rank: %d\n", c.dt_rank);
  std::printf("conv_bias: %s\n", c.conv_bias ? "true" : "false");
  std::printf("norm_epsilon: %g\n", static_cast<double>(c.norm_epsilon));
  std::printf("rcps: %s\n", c.rcps ? "true" : "false");
}

void print_tensor_table(const io::SafetensorsFile& file) {
  size_t width = 4;
  for (const auto& [name, tensor] : file.tensors()) width = std::max(width, name.size());
  const int w = static_cast<int>(width);
  std::printf("tensors: %zu\n", file.tensors().size());
  std::printf("  %-*s  %-5s  %s\n", w, "name", "dtype", "shape");
  for (const auto& [name, tensor] : file.tensors()) {
    std::printf("  %-*s  %-5s  %s\n", w, name.c_str(), io::dtype_name(tensor.dtype),
                io::shape_string(tensor.shape).c_str());
  }
}

/// What a genomamba process holds besides the plan's weights, scratch and outputs: code, libraries, the
/// allocator, HTSlib and HDF5 buffers (measured 0.21 GB per process, docs/benchmarks.md), rounded up.
constexpr int64_t kProcessFixedBytes = INT64_C(256) << 20;

/// The request of `genomamba embed` on sequences of o.plan_length tokens (final hidden state, the default strand).
model::PlanRequest plan_request(const InspectOptions& o, const model::CaduceusWeights& weights) {
  model::PlanRequest r;
  r.device = core::parse_device(o.device);
  r.window = o.plan_length, r.batch = o.plan_batch, r.ranks = o.ranks;
  r.tile = o.tile > 0 ? o.tile : model::default_tile(r.device);
  r.max_bytes = o.max_memory.empty() ? 0 : parse_memory_size(o.max_memory, "--max-memory");
  if (!r.device.is_cpu() && r.max_bytes == 0 && core::cuda_device_count() <= r.device.index) {
    throw ConfigError("inspect --device " + o.device + ": that GPU is not visible here; give its memory with "
                      "--max-memory (e.g. 72G for an 80 GB card)");
  }
  r.passes = weights.config.rcps ? 1 : 2;  // --strand both
  return r;
}

/// --mem-mb: the host memory of the mode a run would take, in MiB, rounded up.
void print_memory_mib(const InspectOptions& o, const model::CaduceusWeights& weights) {
  const model::MemoryPlan plan = model::plan_memory(weights, plan_request(o, weights));  // refuses what cannot fit
  const int64_t bytes = plan.host_bytes() + kProcessFixedBytes, mib = INT64_C(1) << 20;
  std::printf("%lld\n", static_cast<long long>((bytes + mib - 1) / mib));
}

void print_memory_plan(const InspectOptions& o, const model::CaduceusWeights& weights) {
  const model::PlanRequest r = plan_request(o, weights);
  std::printf("memory plan: %lld tokens, batch %lld, tile %lld, %lld rank(s), on %s (embed, --strand both)\n",
              static_cast<long long>(o.plan_length), static_cast<long long>(o.plan_batch),
              static_cast<long long>(r.tile), static_cast<long long>(o.ranks), r.device.name().c_str());
  for (bool streaming : {false, true}) {
    if (streaming && r.ranks > 1) {
      std::printf("  streaming:      runs on one rank only\n");
      continue;
    }
    const model::MemoryPlan p = model::measure_plan(weights, r, streaming);
    if (p.on_gpu) {
      std::printf("  %-15s needs %s on the GPU (weights %s, scratch %s); host: %s (model %s, outputs %s)\n",
                  streaming ? "streaming:" : "whole-sequence:", model::format_bytes(p.run_bytes()).c_str(),
                  model::format_bytes(p.device_weight_bytes).c_str(), model::format_bytes(p.scratch_bytes).c_str(),
                  model::format_bytes(p.host_bytes()).c_str(), model::format_bytes(p.host_weight_bytes).c_str(),
                  model::format_bytes(p.output_bytes).c_str());
    } else {
      std::printf("  %-15s needs %s (weights %s, scratch %s, outputs %s)\n", streaming ? "streaming:" : "whole-sequence:",
                  model::format_bytes(p.run_bytes()).c_str(),
                  model::format_bytes(p.host_weight_bytes + p.device_weight_bytes).c_str(),
                  model::format_bytes(p.scratch_bytes).c_str(), model::format_bytes(p.output_bytes).c_str());
    }
  }
  const int64_t needed = model::ranks_needed(weights, r);
  if (needed > 0) {
    std::printf("  ranks needed: %lld (the fewest processes, one sequence split over them, whose share fits)\n",
                static_cast<long long>(needed));
  } else {
    std::printf("  ranks needed: none fits (the model or the outputs alone exceed the memory allowed)\n");
  }
  try {
    const model::MemoryPlan chosen = model::plan_memory(weights, r);
    std::printf("  allowed %s: a run takes the %s mode\n", model::format_bytes(chosen.allowed_bytes).c_str(),
                chosen.streaming ? "streaming" : "whole-sequence");
  } catch (const ConfigError& e) {
    std::printf("  does not fit: %s\n", e.what());
  }
}

}  // namespace

void run_inspect(const InspectOptions& options) {
  const std::filesystem::path dir = options.model_dir;
  require_model_folder(dir);
  const model::CaduceusWeights weights = model::load_weights(dir);  // validates config and tensors
  if (options.mem_mb) {
    print_memory_mib(options, weights);
    std::fflush(stdout);
    return;
  }
  const io::SafetensorsFile file(dir / "model.safetensors");
  std::printf("model: %s\n", dir.string().c_str());
  std::printf("kind: %s\n", weights.config.kind());
  print_config(weights.config);
  std::printf("parameters: %lld\n", static_cast<long long>(weights.n_parameters));
  std::printf("sha256: %s\n", weights.sha256.c_str());
  print_tensor_table(file);
  if (options.plan_length > 0) print_memory_plan(options, weights);
  std::fflush(stdout);
}

}  // namespace genomamba::apps
