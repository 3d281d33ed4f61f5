#pragma once
// The GPU benchmarks' check of CUDA runtime calls: a failing call prints the program, the call, its line and
// CUDA's reason, and exits 2 (a benchmark has nothing to clean up).
#include <cuda_runtime_api.h>

#include <cstdio>
#include <cstdlib>

inline void bench_check_cuda(cudaError_t status, const char* call, int line) {
  if (status == cudaSuccess) return;
  std::fprintf(stderr, "%s (line %d) failed: %s (%s)\n", call, line, cudaGetErrorString(status),
               cudaGetErrorName(status));
  std::exit(2);
}
#define CUDA_CHECK(call) bench_check_cuda((call), #call, __LINE__)
