// CPU forward throughput and peak memory of one model at one sequence length.
// Prints one table row: kind, L, threads, tile, memory mode, seconds, tokens/s, peak RSS, the model's
// FLOP rate (the minimum FLOPs of the algorithm, tied projections counted once: performance.md §6.1) and
// its fraction of the machine's measured FMA peak (--peak-gflops, from bench_fma_peak), and the speed
// ratio against the float32 reference implementation (--reference-tokens-per-s, measured by
// bench/reference_speed.py in the same run).
// Run one length per process so that peak RSS belongs to that length (bench/run_cpu.sh does this).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <random>
#include <vector>

#include "core/resources.h"
#include "core/threads.h"
#include "model/bimamba_layer.h"
#include "model/caduceus.h"
#include "model/memory_plan.h"
#include "model/strand.h"

using namespace genomamba;

int main(int argc, char** argv) {
  CLI::App app{"genomamba CPU forward benchmark"};
  std::string model_dir;
  int64_t length = 16384;
  int64_t tile = 2048;
  int threads = 0;
  bool header = false;
  double peak_gflops = 0.0;
  double reference_tokens_per_s = 0.0;
  app.add_option("-m,--model", model_dir, "checkpoint directory")->required();
  app.add_option("-L,--length", length, "tokens in the sequence");
  app.add_option("--tile", tile, "tokens per scan tile");
  app.add_option("-@,--threads", threads, "threads (0 = all cores)");
  std::string memory = "auto";
  app.add_option("--memory", memory, "memory mode: auto (the memory plan's choice), whole or streaming")
      ->check(CLI::IsMember({"auto", "whole", "streaming"}));
  app.add_flag("--header", header, "print the table header first");
  app.add_option("--peak-gflops", peak_gflops, "the machine's measured fp32 FMA peak (bench_fma_peak --best)");
  app.add_option("--reference-tokens-per-s", reference_tokens_per_s,
                 "tokens/s of the float32 reference at this length (bench/reference_speed.py)");
  CLI11_PARSE(app, argc, argv);

  core::set_num_threads(threads);
  const auto model = model::Caduceus::load(model_dir);
  const auto& cfg = model.config();

  std::mt19937 rng(1);
  std::uniform_int_distribution<int32_t> base(7, 10);  // A, C, G, T
  std::vector<int32_t> ids(static_cast<size_t>(length));
  for (auto& id : ids) id = base(rng);

  model::PlanRequest request;  // as the forward below runs: one sequence, final hidden state only
  request.window = length, request.tile = tile;
  request.memory = memory == "whole"       ? model::MemoryMode::WHOLE_SEQUENCE
                   : memory == "streaming" ? model::MemoryMode::STREAMING
                                           : model::MemoryMode::AUTO;
  const model::MemoryPlan plan = model::plan_memory(model.weights(), request);
  model::ForwardOptions options;
  options.tile = tile;
  options.memory = plan.mode();
  const double t0 = core::wall_seconds();
  const auto result = model.forward(ids, options);
  const double seconds = core::wall_seconds() - t0;
  const double tokens_per_s = static_cast<double>(length) / seconds;

  // FLOPs per token of the algorithm (performance.md §6.1): tied in_proj and out_proj once per layer; per
  // direction x_proj, dt_proj, conv and the scan (6 FLOP per state element); PS runs every layer twice.
  const double D = cfg.d_model, Di = cfg.d_inner, N = cfg.d_state, R = cfg.dt_rank, K = cfg.d_conv;
  const double per_layer = 2 * D * 2 * Di + 2 * Di * D +
                           2 * (2 * Di * (R + 2 * N) + 2 * R * Di + 2 * K * Di + 6 * Di * N + 10 * Di);
  const double flops_per_token = per_layer * cfg.n_layer * (cfg.rcps ? 2 : 1);
  const double model_gflops = tokens_per_s * flops_per_token / 1e9;
  const bool streaming = plan.streaming;

  if (header) {
    std::printf("| model | d_model x n_layer | tokens | threads | tile | memory | seconds | tokens/s | peak RSS (MB) | "
                "predicted peak (MB) | GFLOP/s | of FMA peak | x reference (fp32) |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  }
  char peak_text[32] = "-", ratio_text[32] = "-";
  if (peak_gflops > 0) std::snprintf(peak_text, sizeof peak_text, "%.1f%%", 100.0 * model_gflops / peak_gflops);
  if (reference_tokens_per_s > 0) std::snprintf(ratio_text, sizeof ratio_text, "%.0fx", tokens_per_s / reference_tokens_per_s);
  std::printf("| %s | %dx%d | %lld | %d | %lld | %s | %.2f | %.0f | %.0f | %.0f | %.1f | %s | %s |\n", cfg.kind(),
              cfg.d_model, cfg.n_layer, static_cast<long long>(length), core::num_threads(), static_cast<long long>(tile),
              streaming ? "streaming" : "whole", seconds, tokens_per_s, static_cast<double>(core::peak_rss_bytes()) / 1e6,
              static_cast<double>(plan.peak_bytes()) / 1e6, model_gflops, peak_text, ratio_text);
  return result.final_hidden.rows() == length ? 0 : 1;
}
