// The CUDA add + RMSNorm kernel against the CPU op (the reference path). Without a GPU the test reports
// itself skipped (tests/support/skip.h: CTest lists it as skipped).
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "add_rms_norm.cuh"
#include "device.cuh"
#include "ops/add_rms_norm.h"
#include "support/skip.h"
#include "support/tensor_compare.h"

using namespace genomamba;

TEST_CASE("add_rms_norm_cuda: matches the CPU op", "[cuda][ops]") {
  if (ops::cuda::device_count() == 0) {
    test::skip_test("no CUDA device visible");
    return;
  }
  const auto [rows, cols, with_x] = GENERATE(table<int64_t, int64_t, bool>(
      {{1, 256, true}, {37, 256, true}, {5, 1000, false}, {300, 48, true}, {3, 8192, true}}));
  CAPTURE(rows, cols, with_x);
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  auto random_vector = [&](size_t n) {
    std::vector<float> v(n);
    for (auto& e : v) e = normal(rng);
    return v;
  };
  const size_t n = static_cast<size_t>(rows * cols);
  const auto x = random_vector(n);
  const auto residual = random_vector(n);
  const auto weight = random_vector(static_cast<size_t>(cols));

  std::vector<float> cpu_residual = residual, cpu_out(n);
  ops::AddRmsNormParams cpu{rows, cols, 1e-5f, with_x ? x.data() : nullptr, cpu_residual.data(), weight.data(),
                            cpu_out.data()};
  ops::cpu::add_rms_norm_cpu(cpu);

  ops::cuda::DeviceBuffer d_x(n * 4), d_res(n * 4), d_w(weight.size() * 4), d_out(n * 4);
  d_x.copy_from_host(x.data(), n * 4);
  d_res.copy_from_host(residual.data(), n * 4);
  d_w.copy_from_host(weight.data(), weight.size() * 4);
  ops::AddRmsNormParams gpu{rows, cols, 1e-5f, with_x ? d_x.as<float>() : nullptr, d_res.as<float>(),
                            d_w.as<float>(), d_out.as<float>()};
  ops::cuda::add_rms_norm_cuda(gpu);
  std::vector<float> gpu_residual(n), gpu_out(n);
  d_res.copy_to_host(gpu_residual.data(), n * 4);
  d_out.copy_to_host(gpu_out.data(), n * 4);

  CHECK(test::relative_error(gpu_residual, cpu_residual) <= 1e-6);
  CHECK(test::relative_error(gpu_out, cpu_out) <= 1e-5);
}
