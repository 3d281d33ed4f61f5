// CPU forward throughput and peak memory of one model at one sequence length.
// Prints one table row: kind, L, threads, tile, seconds, tokens/s, peak RSS, and the fraction of the
// peak-theoretical floor of performance.md §6.3 (7.8k tok/s PH, 3.9k PS, for 256x16 on 2 AVX2 cores,
// scaled by d_model * n_layer relative to that model).
// Run one length per process so that peak RSS belongs to that length (bench/run_cpu.sh does this).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <random>
#include <vector>

#include "core/resources.h"
#include "core/threads.h"
#include "model/caduceus.h"
#include "model/strand.h"

using namespace genomamba;

int main(int argc, char** argv) {
  CLI::App app{"genomamba CPU forward benchmark"};
  std::string model_dir;
  int64_t length = 16384;
  int64_t tile = 2048;
  int threads = 0;
  bool header = false;
  app.add_option("-m,--model", model_dir, "checkpoint directory")->required();
  app.add_option("-L,--length", length, "tokens in the sequence");
  app.add_option("--tile", tile, "tokens per scan tile");
  app.add_option("-@,--threads", threads, "threads (0 = all cores)");
  app.add_flag("--header", header, "print the table header first");
  CLI11_PARSE(app, argc, argv);

  core::set_num_threads(threads);
  const auto model = model::Caduceus::load(model_dir);
  const auto& cfg = model.config();

  std::mt19937 rng(1);
  std::uniform_int_distribution<int32_t> base(7, 10);  // A, C, G, T
  std::vector<int32_t> ids(static_cast<size_t>(length));
  for (auto& id : ids) id = base(rng);

  model::ForwardOptions options;
  options.tile = tile;
  const double t0 = core::wall_seconds();
  const auto result = model.forward(ids, options);
  const double seconds = core::wall_seconds() - t0;
  const double tokens_per_s = static_cast<double>(length) / seconds;

  // Peak-theoretical floor for 256x16 (performance.md §6.3), scaled by model size and doubled for PS.
  const double scale = (256.0 * 16.0) / (static_cast<double>(cfg.d_model) * cfg.n_layer);
  const double floor_tokens_per_s = (cfg.rcps ? 3900.0 : 7800.0) * scale;

  if (header) {
    std::printf("| model | d_model x n_layer | tokens | threads | tile | seconds | tokens/s | peak RSS (MB) | of floor |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|\n");
  }
  std::printf("| %s | %dx%d | %lld | %d | %lld | %.2f | %.0f | %.0f | %.2f |\n", cfg.kind(), cfg.d_model, cfg.n_layer,
              static_cast<long long>(length), core::num_threads(), static_cast<long long>(tile), seconds, tokens_per_s,
              static_cast<double>(core::peak_rss_bytes()) / 1e6, tokens_per_s / floor_tokens_per_s);
  return result.final_hidden.rows() == length ? 0 : 1;
}
