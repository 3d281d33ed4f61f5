// GPU forward throughput and device memory of one model at one sequence length: model::Engine on
// core::Device::cuda(i), the counterpart of bench/cpu_forward.cpp (same checkpoint flags, same table style).
// One warm-up forward (the first --warmup-tokens tokens, default min(L, 131072), on the same engine: it loads
// the kernels and starts cuBLAS), then one timed forward of L tokens, timed with CUDA events on the default
// stream (the engine's) around the call and a device synchronize. Prints one table row: kind, L, device, tile,
// memory mode, seconds, tokens/s, the device memory the run took at its peak (free memory sampled every 2 ms
// by a second thread with cudaMemGetInfo, against the free memory before the weights were uploaded), the
// memory plan's prediction for the device (model/memory_plan.h: device weights + the engine's arena), the
// model's FLOP rate (the minimum FLOPs, as bench_cpu_forward counts them), and tokens/s over a floor given with
// --floor-tokens-per-s (performance.md §6.3). Run one length per process (bench/run_gpu.sh does this).
#include <CLI/CLI.hpp>
#include <cuda_runtime.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <random>
#include <span>
#include <thread>
#include <vector>

#include "core/device.h"
#include "core/resources.h"
#include "model/caduceus.h"
#include "model/engine.h"
#include "model/memory_plan.h"
#include "model/weights.h"
#include "cuda_check.h"

using namespace genomamba;

namespace {

/// The lowest free device memory seen while it runs (a thread calling cudaMemGetInfo every 2 ms).
class FreeMemorySampler {
 public:
  explicit FreeMemorySampler(int device) : device_(device) {
    size_t free_bytes = 0, total = 0;
    CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total));
    lowest_ = free_bytes;
    thread_ = std::thread([this] { run(); });
  }
  ~FreeMemorySampler() { stop(); }
  FreeMemorySampler(const FreeMemorySampler&) = delete;
  FreeMemorySampler& operator=(const FreeMemorySampler&) = delete;

  /// Samples once more now (call after each phase too: a short peak may fall between two samples).
  void sample() {
    size_t free_bytes = 0, total = 0;
    if (cudaMemGetInfo(&free_bytes, &total) == cudaSuccess) {
      size_t seen = lowest_.load();
      while (free_bytes < seen && !lowest_.compare_exchange_weak(seen, free_bytes)) {
      }
    }
  }
  void stop() {
    if (!thread_.joinable()) return;
    done_ = true;
    thread_.join();
    sample();
  }
  size_t lowest_free() const { return lowest_.load(); }

 private:
  void run() {
    if (cudaSetDevice(device_) != cudaSuccess) return;
    while (!done_) {
      sample();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  int device_;
  std::atomic<size_t> lowest_{0};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

int run(int argc, char** argv) {
  CLI::App app{"genomamba GPU forward benchmark"};
  std::string model_dir;
  int64_t length = 131072;
  int64_t tile = 0;
  int device_index = 0;
  int64_t warmup_tokens = 131072;
  bool header = false;
  bool want_hidden = true;
  double floor_tokens_per_s = 0.0;
  std::string memory = "auto";
  app.add_option("-m,--model", model_dir, "checkpoint directory")->required();
  app.add_option("-L,--length", length, "tokens in the sequence")->check(CLI::PositiveNumber);
  app.add_option("--tile", tile, "tokens per scan tile (0: the engine's default for a GPU, model::default_tile)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--device", device_index, "CUDA device index");
  app.add_option("--memory", memory,
                 "memory mode: auto (the memory plan's choice for the device: whole-sequence when it fits 90% of "
                 "the free device memory, else streaming), whole or streaming")
      ->check(CLI::IsMember({"auto", "whole", "streaming"}));
  app.add_option("--warmup-tokens", warmup_tokens, "tokens of the warm-up forward (at most L)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--hidden,!--no-hidden", want_hidden,
               "do not ask for the final hidden state (no download of the [L, W] result: the device work alone)");
  app.add_flag("--header", header, "print the table header first");
  app.add_option("--floor-tokens-per-s", floor_tokens_per_s,
                 "the floor (roofline) tokens/s of this model on this GPU, for the 'of floor' column");
  CLI11_PARSE(app, argc, argv);

  int devices = 0;
  CUDA_CHECK(cudaGetDeviceCount(&devices));
  if (device_index < 0 || device_index >= devices) {
    std::fprintf(stderr, "bench_gpu_forward: no CUDA device %d (%d visible)\n", device_index, devices);
    return 2;
  }
  CUDA_CHECK(cudaSetDevice(device_index));
  CUDA_CHECK(cudaFree(nullptr));  // the context, before the baseline of free memory
  cudaDeviceProp prop{};
  CUDA_CHECK(cudaGetDeviceProperties(&prop, device_index));
  size_t free_before = 0, total_bytes = 0;
  CUDA_CHECK(cudaMemGetInfo(&free_before, &total_bytes));

  const model::CaduceusWeights weights = model::load_weights(model_dir);
  const io::ModelConfig& cfg = weights.config;
  const core::Device device = core::Device::cuda(device_index);
  if (tile == 0) tile = model::default_tile(device);

  // The memory plan for the device: what the engine uploads (weights) and carves (its arena) there.
  model::PlanRequest request;  // as the forward below runs: one sequence, final hidden state only
  request.window = length, request.tile = tile, request.device = device, request.want_final_hidden = want_hidden;
  const auto device_bytes = [](const model::MemoryPlan& p) { return p.device_weight_bytes + p.scratch_bytes; };
  model::MemoryPlan plan;
  if (memory == "auto") {
    request.memory = model::MemoryMode::AUTO;
    plan = model::plan_memory(weights, request);  // @throws ConfigError when no mode fits the device
  } else {
    const bool streaming = memory == "streaming";
    request.memory = streaming ? model::MemoryMode::STREAMING : model::MemoryMode::WHOLE_SEQUENCE;
    plan = model::measure_plan(weights, request, streaming);
  }

  FreeMemorySampler sampler(device_index);
  model::EngineOptions options;
  options.device = device;
  options.batch = 1;
  options.max_tokens = length;
  options.tile = plan.tile;
  options.memory = plan.mode();
  model::Engine engine(weights, options);
  sampler.sample();

  std::mt19937 rng(1);
  std::uniform_int_distribution<int32_t> base(7, 10);  // A, C, G, T
  std::vector<int32_t> ids(static_cast<size_t>(length));
  for (auto& id : ids) id = base(rng);
  model::ForwardOptions request_out;
  request_out.device = device;
  request_out.tile = plan.tile;
  request_out.memory = plan.mode();
  request_out.want_final_hidden = want_hidden;

  // Warm-up: the same engine on the first tokens (kernel loading, cuBLAS's first calls).
  const int64_t warm = std::min(length, warmup_tokens);
  engine.forward(std::span<const int32_t>(ids.data(), static_cast<size_t>(warm)), 1, request_out);
  CUDA_CHECK(cudaDeviceSynchronize());
  sampler.sample();

  cudaEvent_t start{}, stop{};
  CUDA_CHECK(cudaEventCreate(&start));
  CUDA_CHECK(cudaEventCreate(&stop));
  const double t0 = core::wall_seconds();
  CUDA_CHECK(cudaEventRecord(start, nullptr));
  const auto results = engine.forward(ids, 1, request_out);
  CUDA_CHECK(cudaDeviceSynchronize());  // the engine's work may still run when no result is downloaded
  CUDA_CHECK(cudaEventRecord(stop, nullptr));
  CUDA_CHECK(cudaEventSynchronize(stop));
  const double wall = core::wall_seconds() - t0;
  float event_ms = 0.0f;
  CUDA_CHECK(cudaEventElapsedTime(&event_ms, start, stop));
  CUDA_CHECK(cudaGetLastError());
  sampler.stop();
  CUDA_CHECK(cudaEventDestroy(start));
  CUDA_CHECK(cudaEventDestroy(stop));

  const double seconds = event_ms / 1e3;
  const double tokens_per_s = static_cast<double>(length) / seconds;
  // FLOPs per token of the algorithm, as bench_cpu_forward counts them (performance.md §6.1).
  const double D = cfg.d_model, Di = cfg.d_inner, N = cfg.d_state, R = cfg.dt_rank, K = cfg.d_conv;
  const double per_layer = 2 * D * 2 * Di + 2 * Di * D +
                           2 * (2 * Di * (R + 2 * N) + 2 * R * Di + 2 * K * Di + 6 * Di * N + 10 * Di);
  const double flops_per_token = per_layer * cfg.n_layer * (cfg.rcps ? 2 : 1);
  const double model_gflops = tokens_per_s * flops_per_token / 1e9;
  const double peak_device = static_cast<double>(free_before - std::min(free_before, sampler.lowest_free()));

  if (header) {
    std::printf("| model | d_model x n_layer | tokens | device | tile | memory | seconds | tokens/s | "
                "peak device (MB) | predicted device (MB) | peak RSS (MB) | GFLOP/s | of floor |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  }
  char floor_text[32] = "-";
  if (floor_tokens_per_s > 0) {
    std::snprintf(floor_text, sizeof floor_text, "%.1f%%", 100.0 * tokens_per_s / floor_tokens_per_s);
  }
  std::printf("| %s | %dx%d | %lld | %s | %lld | %s%s | %.3f | %.0f | %.0f | %.0f | %.0f | %.1f | %s |\n", cfg.kind(),
              cfg.d_model, cfg.n_layer, static_cast<long long>(length), prop.name, static_cast<long long>(plan.tile),
              plan.streaming ? "streaming" : "whole", want_hidden ? "" : " (no output)", seconds, tokens_per_s,
              peak_device / 1e6, static_cast<double>(device_bytes(plan)) / 1e6,
              static_cast<double>(core::peak_rss_bytes()) / 1e6, model_gflops, floor_text);
  std::fflush(stdout);
  std::fprintf(stderr, "# %s L=%lld: event %.3f s, wall %.3f s; device total %.0f MB, free before %.0f MB\n",
               cfg.kind(), static_cast<long long>(length), seconds, wall, static_cast<double>(total_bytes) / 1e6,
               static_cast<double>(free_before) / 1e6);
  if (results.size() != 1 || (want_hidden && results[0].final_hidden.rows() != length)) {
    std::fprintf(stderr, "bench_gpu_forward: the forward returned no [L, W] hidden state\n");
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_gpu_forward: %s\n", e.what());
    return 1;
  }
}
