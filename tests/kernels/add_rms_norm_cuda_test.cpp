// The CUDA add + RMSNorm kernel, through the op's dispatcher, against the CPU op (the reference path). Without
// a GPU the test reports itself skipped (tests/support/skip.h: CTest lists it as skipped).
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "core/buffer.h"
#include "ops/add_rms_norm.h"
#include "support/skip.h"
#include "support/tensor_compare.h"

using namespace genomamba;

TEST_CASE("add_rms_norm_cuda: matches the CPU op", "[cuda][ops]") {
  if (core::cuda_device_count() == 0) {
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
                            cpu_out.data(), {}};
  ops::add_rms_norm(cpu);

  const core::Device gpu_device = core::Device::cuda(0);
  core::Buffer d_x = core::Buffer::from_host(gpu_device, x), d_res = core::Buffer::from_host(gpu_device, residual);
  core::Buffer d_w = core::Buffer::from_host(gpu_device, weight), d_out(gpu_device, n * 4);
  ops::AddRmsNormParams gpu{rows, cols, 1e-5f, with_x ? d_x.f32() : nullptr, d_res.f32(), d_w.f32(), d_out.f32(), {}};
  gpu.ctx.device = gpu_device;
  ops::add_rms_norm(gpu);
  std::vector<float> gpu_residual(n), gpu_out(n);
  d_res.copy_to_host(gpu_residual);
  d_out.copy_to_host(gpu_out);

  CHECK(test::relative_error(gpu_residual, cpu_residual) <= 1e-6);
  CHECK(test::relative_error(gpu_out, cpu_out) <= 1e-5);
}
