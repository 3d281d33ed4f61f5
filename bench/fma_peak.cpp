// The machine's fp32 FMA peak, measured: every thread runs independent chains of vector FMAs (enough to
// cover the FMA latency on both ports), with AVX2+FMA and, where the CPU has it, AVX-512. Prints GFLOP/s
// per instruction set; bench/run_cpu.sh divides the model's FLOP rate by the best of them.
#include <immintrin.h>
#include <omp.h>

#include <cstdio>
#include <cstring>

#include "core/resources.h"

namespace {

constexpr int kChains = 12;          // independent accumulators per thread
constexpr long kIterations = 20'000'000;

__attribute__((target("avx2,fma"))) double avx2_flops_per_thread(float seed) {
  __m256 acc[kChains];
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (int i = 0; i < kChains; ++i) acc[i] = _mm256_set1_ps(seed + static_cast<float>(i));
  for (long it = 0; it < kIterations; ++it)
    for (int i = 0; i < kChains; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  float sink[8];
  __m256 sum = acc[0];
  for (int i = 1; i < kChains; ++i) sum = _mm256_add_ps(sum, acc[i]);
  _mm256_storeu_ps(sink, sum);
  if (sink[0] == 42.0f) std::printf(" ");  // keeps the loop alive
  return 2.0 * 8.0 * kChains * static_cast<double>(kIterations);
}

__attribute__((target("avx512f"))) double avx512_flops_per_thread(float seed) {
  __m512 acc[kChains];
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (int i = 0; i < kChains; ++i) acc[i] = _mm512_set1_ps(seed + static_cast<float>(i));
  for (long it = 0; it < kIterations; ++it)
    for (int i = 0; i < kChains; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  __m512 sum = acc[0];
  for (int i = 1; i < kChains; ++i) sum = _mm512_add_ps(sum, acc[i]);
  float sink[16];
  _mm512_storeu_ps(sink, sum);
  if (sink[0] == 42.0f) std::printf(" ");
  return 2.0 * 16.0 * kChains * static_cast<double>(kIterations);
}

template <typename Kernel>
double gflops(Kernel kernel) {
  double flops = 0.0;
  const double t0 = genomamba::core::wall_seconds();
#pragma omp parallel reduction(+ : flops)
  flops += kernel(static_cast<float>(omp_get_thread_num()));
  return flops / (genomamba::core::wall_seconds() - t0) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quiet = argc > 1 && std::strcmp(argv[1], "--best") == 0;  // print only the best GFLOP/s
  __builtin_cpu_init();
  double best = 0.0;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    const double g = gflops(avx2_flops_per_thread);
    if (!quiet) std::printf("avx2+fma  %d threads: %.1f GFLOP/s\n", omp_get_max_threads(), g);
    best = g > best ? g : best;
  }
  if (__builtin_cpu_supports("avx512f")) {
    const double g = gflops(avx512_flops_per_thread);
    if (!quiet) std::printf("avx512f   %d threads: %.1f GFLOP/s\n", omp_get_max_threads(), g);
    best = g > best ? g : best;
  }
  if (quiet) std::printf("%.1f\n", best);
  return best > 0.0 ? 0 : 1;
}
