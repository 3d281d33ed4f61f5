// The linear op on the GPU (cuBLAS, through ops::DeviceContext's handle) against the CPU op: shapes of the
// model's projections, row strides wider than the matrix (column slices of x_dbl), batches with their own
// strides, and accumulation. Skipped where no GPU is visible.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "core/buffer.h"
#include "core/error.h"
#include "ops/device_context.h"
#include "ops/linear.h"
#include "support/skip.h"
#include "support/tensor_compare.h"

using namespace genomamba;

TEST_CASE("linear_cuda: matches the CPU op", "[cuda][ops]") {
  if (core::cuda_device_count() == 0) {
    test::skip_test("no CUDA device visible");
    return;
  }
  // {rows, in, out, x_stride, y_stride, batch, accumulate}
  struct Shape {
    int64_t rows, in, out, x_stride, y_stride, batch;
    bool accumulate;
  };
  const Shape shape = GENERATE(values<Shape>({{1, 256, 1024, 256, 1024, 1, false},
                                              {1000, 512, 48, 512, 48, 1, false},
                                              {777, 16, 512, 48, 512, 3, false},  // dt: a column slice of x_dbl
                                              {300, 512, 256, 512, 260, 2, true},
                                              {5, 64, 16, 64, 16, 1, true}}));
  CAPTURE(shape.rows, shape.in, shape.out, shape.x_stride, shape.y_stride, shape.batch, shape.accumulate);
  std::mt19937 rng(11);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const auto random_vector = [&](int64_t n) {
    std::vector<float> v(static_cast<size_t>(n));
    for (float& e : v) e = normal(rng);
    return v;
  };
  const int64_t x_batch_stride = shape.rows * shape.x_stride + 7, y_batch_stride = shape.rows * shape.y_stride + 3;
  const std::vector<float> x = random_vector(shape.batch * x_batch_stride);
  const std::vector<float> weight = random_vector(shape.out * shape.in);
  const std::vector<float> y0 = random_vector(shape.batch * y_batch_stride);

  ops::LinearParams p;
  p.n_rows = shape.rows, p.in_features = shape.in, p.out_features = shape.out;
  p.x_stride = shape.x_stride, p.y_stride = shape.y_stride, p.accumulate = shape.accumulate;
  p.n_batch = shape.batch, p.x_batch_stride = x_batch_stride, p.y_batch_stride = y_batch_stride;
  std::vector<float> cpu_y = y0;
  ops::LinearParams cpu = p;
  cpu.x = x.data(), cpu.weight = weight.data(), cpu.y = cpu_y.data();
  ops::linear(cpu);

  const core::Device gpu = core::Device::cuda(0);
  core::Buffer workspace(gpu, ops::DeviceContext::blas_workspace_bytes(gpu));
  const ops::DeviceContext context(gpu, core::DType::F32, workspace.data());
  core::Buffer d_x = core::Buffer::from_host(gpu, x), d_w = core::Buffer::from_host(gpu, weight);
  core::Buffer d_y = core::Buffer::from_host(gpu, y0);
  ops::LinearParams on_gpu = p;
  on_gpu.x = d_x.f32(), on_gpu.weight = d_w.f32(), on_gpu.y = d_y.f32(), on_gpu.ctx = context.context();
  ops::linear(on_gpu);
  std::vector<float> gpu_y(y0.size());
  d_y.copy_to_host(gpu_y);
  // Every element, the gaps between rows and sequences included (they must stay as they were).
  CHECK(test::relative_error(gpu_y, cpu_y) <= 1e-6);
}

TEST_CASE("linear_cuda: a GPU call without the device context's cuBLAS handle is refused", "[cuda][ops]") {
  if (core::cuda_device_count() == 0) {
    test::skip_test("no CUDA device visible");
    return;
  }
  const core::Device gpu = core::Device::cuda(0);
  core::Buffer d_x(gpu, 64 * 4), d_w(gpu, 64 * 4), d_y(gpu, 64 * 4);
  ops::LinearParams p;
  p.n_rows = 8, p.in_features = 8, p.out_features = 8, p.x_stride = 8, p.y_stride = 8;
  p.x = d_x.f32(), p.weight = d_w.f32(), p.y = d_y.f32(), p.ctx.device = gpu;
  CHECK_THROWS_WITH(ops::linear(p), Catch::Contains("no cuBLAS handle"));
}
