// The selective scan alone on a GPU (ops::selective_scan on core::Device::cuda(i), one tile of T tokens, one
// sequence) against the memory bandwidth the device gives a plain copy. Prints one table row: T, Di x N, the
// mean time per call over --repeat calls (after one warm-up call; CUDA events on the default stream), tokens/s,
// the bandwidth counting the minimum bytes of the op (u, delta_raw, z [T, Di] and B, C [T, N] read once, out
// [T, Di] written once, fp32), a device-to-device cudaMemcpy's bandwidth measured here (bytes read + written),
// and their ratio. performance.md §6.3: the scan is memory-bound at this intensity; the ratio is how close it
// comes to the copy.
#include <CLI/CLI.hpp>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <random>
#include <vector>

#include "core/device.h"
#include "ops/selective_scan.h"
#include "cuda_check.h"

using namespace genomamba;

namespace {

/// A device allocation of `count` floats, freed on scope exit.
class DeviceFloats {
 public:
  explicit DeviceFloats(size_t count) : count_(count) {
    CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&data_), std::max<size_t>(count, 1) * sizeof(float)));
  }
  ~DeviceFloats() { cudaFree(data_); }
  DeviceFloats(const DeviceFloats&) = delete;
  DeviceFloats& operator=(const DeviceFloats&) = delete;
  float* get() const { return data_; }
  size_t bytes() const { return count_ * sizeof(float); }

 private:
  float* data_ = nullptr;
  size_t count_ = 0;
};

/// Fills `dst` (count floats) with a pattern of up to 4 Mi uniform values in [lo, hi), repeated.
void fill_uniform(const DeviceFloats& dst, size_t count, float lo, float hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> pattern(std::min<size_t>(count, size_t{1} << 22));
  for (float& v : pattern) v = dist(rng);
  for (size_t at = 0; at < count; at += pattern.size()) {
    const size_t n = std::min(pattern.size(), count - at);
    CUDA_CHECK(cudaMemcpy(dst.get() + at, pattern.data(), n * sizeof(float), cudaMemcpyHostToDevice));
  }
}

void upload(const DeviceFloats& dst, const std::vector<float>& values) {
  CUDA_CHECK(cudaMemcpy(dst.get(), values.data(), values.size() * sizeof(float), cudaMemcpyHostToDevice));
}

int run(int argc, char** argv) {
  CLI::App app{"genomamba GPU selective-scan benchmark"};
  int64_t T = 1048576, Di = 512, N = 16;
  int repeat = 10;
  int device_index = 0;
  int64_t copy_mb = 0;
  bool header = false;
  app.add_option("-T,--tokens", T, "tokens of the one tile scanned")->check(CLI::PositiveNumber);
  app.add_option("--d-inner", Di, "channels (d_inner)")->check(CLI::PositiveNumber);
  app.add_option("--d-state", N, "state size (d_state)")->check(CLI::Range(int64_t{1}, ops::kMaxScanState));
  app.add_option("--repeat", repeat, "timed calls (after one warm-up call)")->check(CLI::PositiveNumber);
  app.add_option("--device", device_index, "CUDA device index");
  app.add_option("--copy-mb", copy_mb, "bytes of the reference copy, in MB (0: one [T, Di] array)");
  app.add_flag("--header", header, "print the table header first");
  CLI11_PARSE(app, argc, argv);

  int devices = 0;
  CUDA_CHECK(cudaGetDeviceCount(&devices));
  if (device_index < 0 || device_index >= devices) {
    std::fprintf(stderr, "bench_gpu_scan: no CUDA device %d (%d visible)\n", device_index, devices);
    return 2;
  }
  CUDA_CHECK(cudaSetDevice(device_index));
  cudaDeviceProp prop{};
  CUDA_CHECK(cudaGetDeviceProperties(&prop, device_index));

  const size_t td = static_cast<size_t>(T * Di), tn = static_cast<size_t>(T * N), dn = static_cast<size_t>(Di * N);
  DeviceFloats u(td), delta_raw(td), z(td), out(td), bc(2 * tn), delta_bias(static_cast<size_t>(Di)), A(dn),
      A_log2e(dn), D(static_cast<size_t>(Di)), state(dn);
  fill_uniform(u, td, -1.0f, 1.0f, 1);
  fill_uniform(delta_raw, td, -4.0f, 0.0f, 2);  // softplus: delta in about 0.02..0.7
  fill_uniform(z, td, -1.0f, 1.0f, 3);
  fill_uniform(bc, 2 * tn, -1.0f, 1.0f, 4);
  std::vector<float> a(dn), a2(dn), bias(static_cast<size_t>(Di), -1.0f), d(static_cast<size_t>(Di), 1.0f);
  for (int64_t c = 0; c < Di; ++c) {
    for (int64_t n = 0; n < N; ++n) {
      a[static_cast<size_t>(c * N + n)] = -static_cast<float>(n + 1);  // S4D-real, as Mamba initialises A
      a2[static_cast<size_t>(c * N + n)] = a[static_cast<size_t>(c * N + n)] * 1.4426950408889634f;
    }
  }
  upload(A, a);
  upload(A_log2e, a2);
  upload(delta_bias, bias);
  upload(D, d);
  CUDA_CHECK(cudaMemset(state.get(), 0, state.bytes()));

  const core::Device device = core::Device::cuda(device_index);
  const int64_t workspace_bytes = ops::selective_scan_workspace_bytes(device, 1, T, Di, N);
  void* workspace = nullptr;
  if (workspace_bytes > 0) CUDA_CHECK(cudaMalloc(&workspace, static_cast<size_t>(workspace_bytes)));

  ops::SelectiveScanParams p;
  p.n_tokens = T, p.d_inner = Di, p.d_state = N;
  p.u = u.get(), p.delta_raw = delta_raw.get(), p.delta_bias = delta_bias.get(), p.A = A.get();
  p.A_log2e = A_log2e.get();
  p.B = bc.get(), p.C = bc.get() + N, p.bc_stride = 2 * N;
  p.D = D.get(), p.z = z.get(), p.z_stride = Di, p.state = state.get(), p.out = out.get(), p.out_stride = Di;
  p.ctx.device = device;
  p.ctx.dtype = core::DType::F32;
  p.ctx.workspace = workspace;
  p.ctx.workspace_bytes = static_cast<size_t>(workspace_bytes);

  cudaEvent_t start{}, stop{};
  CUDA_CHECK(cudaEventCreate(&start));
  CUDA_CHECK(cudaEventCreate(&stop));
  ops::selective_scan(p);  // warm-up
  CUDA_CHECK(cudaDeviceSynchronize());
  CUDA_CHECK(cudaGetLastError());
  CUDA_CHECK(cudaEventRecord(start, nullptr));
  for (int i = 0; i < repeat; ++i) ops::selective_scan(p);
  CUDA_CHECK(cudaEventRecord(stop, nullptr));
  CUDA_CHECK(cudaEventSynchronize(stop));
  CUDA_CHECK(cudaGetLastError());
  float scan_ms = 0.0f;
  CUDA_CHECK(cudaEventElapsedTime(&scan_ms, start, stop));
  scan_ms /= static_cast<float>(repeat);
  std::vector<float> check(static_cast<size_t>(Di));
  CUDA_CHECK(cudaMemcpy(check.data(), out.get() + (T - 1) * Di, check.size() * sizeof(float), cudaMemcpyDeviceToHost));
  const bool finite = std::all_of(check.begin(), check.end(), [](float v) { return std::isfinite(v); });

  // The reference: a device-to-device copy of the same order of size, bytes read + written.
  const size_t copy_bytes = copy_mb > 0 ? static_cast<size_t>(copy_mb) * 1000000 : u.bytes();
  const size_t copy_floats = copy_bytes / sizeof(float);
  float copy_ms = 0.0f;
  {
    // Reuse the scan's arrays when they are large enough, else allocate.
    const bool reuse = copy_floats <= td;
    DeviceFloats src(reuse ? 0 : copy_floats), dst(reuse ? 0 : copy_floats);
    float* from = reuse ? u.get() : src.get();
    float* to = reuse ? out.get() : dst.get();
    CUDA_CHECK(cudaMemcpy(to, from, copy_floats * sizeof(float), cudaMemcpyDeviceToDevice));  // warm-up
    CUDA_CHECK(cudaDeviceSynchronize());
    CUDA_CHECK(cudaEventRecord(start, nullptr));
    for (int i = 0; i < repeat; ++i) {
      CUDA_CHECK(cudaMemcpyAsync(to, from, copy_floats * sizeof(float), cudaMemcpyDeviceToDevice, nullptr));
    }
    CUDA_CHECK(cudaEventRecord(stop, nullptr));
    CUDA_CHECK(cudaEventSynchronize(stop));
    CUDA_CHECK(cudaEventElapsedTime(&copy_ms, start, stop));
    copy_ms /= static_cast<float>(repeat);
  }
  CUDA_CHECK(cudaEventDestroy(start));
  CUDA_CHECK(cudaEventDestroy(stop));
  if (workspace) CUDA_CHECK(cudaFree(workspace));

  const double min_bytes = 4.0 * (4.0 * static_cast<double>(td) + 2.0 * static_cast<double>(tn));
  const double scan_gbs = min_bytes / (scan_ms / 1e3) / 1e9;
  const double copy_gbs = 2.0 * static_cast<double>(copy_floats * sizeof(float)) / (copy_ms / 1e3) / 1e9;
  if (header) {
    std::printf("| op | device | tokens | d_inner x d_state | ms per call | tokens/s | GB/s (min bytes) | "
                "copy GB/s (read + write) | of copy |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|\n");
  }
  std::printf("| selective_scan | %s | %lld | %lldx%lld | %.3f | %.3g | %.0f | %.0f | %.1f%% |\n", prop.name,
              static_cast<long long>(T), static_cast<long long>(Di), static_cast<long long>(N), scan_ms,
              static_cast<double>(T) / (scan_ms / 1e3), scan_gbs, copy_gbs, 100.0 * scan_gbs / copy_gbs);
  std::fflush(stdout);
  std::fprintf(stderr, "# scan: %.0f MB minimum per call, workspace %.1f MB; copy: %.0f MB per call\n", min_bytes / 1e6,
               static_cast<double>(workspace_bytes) / 1e6, static_cast<double>(copy_floats * sizeof(float)) / 1e6);
  if (!finite) {
    std::fprintf(stderr, "bench_gpu_scan: the scan's last output row is not finite\n");
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_gpu_scan: %s\n", e.what());
    return 1;
  }
}
