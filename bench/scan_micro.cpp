// Selective-scan micro-benchmark: G (t·d·n)/s of each CPU variant that this machine can run, on one
// direction of one layer (default D = 512, N = 16, L = 8192, scanned in tiles of 2,048 tokens as the model
// does), with one thread and with all threads. Compare with performance.md §6.3-6.4. The last column
// divides by CPU seconds instead of wall seconds (per core, robust to other load on the machine).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

#include "core/resources.h"
#include "core/threads.h"
#include "ops/cpu/simd_kernels.h"
#include "ops/selective_scan.h"

using namespace genomamba;
using ops::cpu::SimdLevel;

namespace {

// CPU seconds of the whole process: on a busy machine, G/CPU-s says what the code does per core-second.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

std::vector<float> uniform(size_t n, float lo, float hi, unsigned seed) {
  std::vector<float> v(n);
  unsigned x = seed * 2654435761u + 1u;
  for (auto& f : v) {
    x = x * 1664525u + 1013904223u;
    f = lo + (hi - lo) * static_cast<float>(x >> 8) / 16777216.0f;
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"genomamba selective-scan micro-benchmark"};
  int64_t L = 8192, D = 512, N = 16, tile = 2048;
  int repeats = 5;
  app.add_option("-L,--length", L, "tokens");
  app.add_option("-D,--d-inner", D, "channels");
  app.add_option("-N,--d-state", N, "states per channel");
  app.add_option("--tile", tile, "tokens per call");
  app.add_option("-r,--repeats", repeats, "runs per variant (best is reported)");
  CLI11_PARSE(app, argc, argv);

  const int64_t W = 16 + 2 * N;  // x_dbl row: dt | B | C
  const auto u = uniform(L * D, -2.0f, 2.0f, 1), delta_raw = uniform(L * D, -3.0f, 1.0f, 2);
  const auto x_dbl = uniform(L * W, -1.0f, 1.0f, 3), z = uniform(L * D, -3.0f, 3.0f, 4);
  const auto delta_bias = uniform(D, -4.0f, -1.0f, 5), Dskip = uniform(D, -1.0f, 1.0f, 6);
  std::vector<float> A(D * N), state(D * N), out(L * D);
  for (int64_t d = 0; d < D; ++d)
    for (int64_t n = 0; n < N; ++n) A[d * N + n] = -static_cast<float>(n + 1);

  const int all_threads = core::num_threads();
  std::printf("| variant | threads | D | N | L | seconds | G (t·d·n)/s | G (t·d·n)/CPU-s |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  for (SimdLevel level : {SimdLevel::PORTABLE, SimdLevel::AVX2, SimdLevel::AVX512}) {
    if (!ops::cpu::simd_supported(level)) continue;
    for (int threads : {1, all_threads}) {
      core::set_num_threads(threads);
      double best = 1e30, best_cpu = 1e30;
      for (int r = 0; r < repeats; ++r) {
        std::fill(state.begin(), state.end(), 0.0f);
        const double t0 = core::wall_seconds(), c0 = cpu_seconds();
        for (int64_t t = 0; t < L; t += tile) {
          ops::SelectiveScanParams p;
          p.n_tokens = std::min(tile, L - t), p.d_inner = D, p.d_state = N;
          p.u = u.data() + t * D, p.delta_raw = delta_raw.data() + t * D, p.delta_bias = delta_bias.data();
          p.A = A.data(), p.B = x_dbl.data() + t * W + 16, p.C = x_dbl.data() + t * W + 16 + N, p.bc_stride = W;
          p.D = Dskip.data(), p.z = z.data() + t * D, p.z_stride = D;
          p.state = state.data(), p.out = out.data() + t * D, p.out_stride = D;
          ops::cpu::selective_scan_cpu(p, level);
        }
        best = std::min(best, core::wall_seconds() - t0);
        best_cpu = std::min(best_cpu, cpu_seconds() - c0);
      }
      const double work = static_cast<double>(L) * static_cast<double>(D) * static_cast<double>(N) / 1e9;
      std::printf("| %s | %d | %lld | %lld | %lld | %.4f | %.2f | %.2f |\n", ops::cpu::simd_level_name(level), threads,
                  static_cast<long long>(D), static_cast<long long>(N), static_cast<long long>(L), best, work / best,
                  work / best_cpu);
      if (all_threads == 1) break;
    }
  }
  core::set_num_threads(all_threads);
  return std::isfinite(out[0]) ? 0 : 1;
}
