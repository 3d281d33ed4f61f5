// The op dispatchers (src/ops/<op>.cpp): a device or dtype that the build or the op lacks is refused with a
// message naming the op and the device or dtype, before anything runs.
#include <catch2/catch.hpp>

#include <vector>

#include "core/device.h"
#include "core/error.h"
#include "ops/linear.h"
#include "ops/selective_scan.h"

using namespace genomamba;
using Catch::Contains;

namespace {

ops::LinearParams small_linear(std::vector<float>& x, std::vector<float>& w, std::vector<float>& y) {
  ops::LinearParams p;
  p.n_rows = 2, p.in_features = 2, p.out_features = 2;
  p.x = x.data(), p.x_stride = 2, p.weight = w.data(), p.y = y.data(), p.y_stride = 2;
  return p;
}

}  // namespace

TEST_CASE("ops: a dtype an op lacks is a ConfigError naming op and dtype", "[ops]") {
  std::vector<float> x(4, 1.0f), w(4, 1.0f), y(4, 0.0f);
  ops::LinearParams p = small_linear(x, w, y);
  p.ctx.dtype = core::DType::BF16;
  CHECK_THROWS_AS(ops::linear(p), ConfigError);
  CHECK_THROWS_WITH(ops::linear(p), Contains("linear") && Contains("bf16") && Contains("f32"));
  CHECK(y == std::vector<float>(4, 0.0f));
  p.ctx.dtype = core::DType::F32;
  ops::linear(p);
  CHECK(y == std::vector<float>(4, 2.0f));
}

TEST_CASE("ops: a GPU op in a build without CUDA is a ConfigError naming it", "[ops]") {
  std::vector<float> x(4, 1.0f), w(4, 1.0f), y(4, 0.0f);
  ops::LinearParams p = small_linear(x, w, y);
  p.ctx.device = core::Device::cuda(0);
  if (core::built_with_cuda()) {
    // Every op has a CUDA kernel in this build; what a GPU call without the device context's cuBLAS handle
    // meets instead is an error naming it, before anything runs.
    CHECK_THROWS_WITH(ops::linear(p), Contains("no cuBLAS handle"));
  } else {
    CHECK_THROWS_AS(ops::linear(p), ConfigError);
    CHECK_THROWS_WITH(ops::linear(p), Contains("linear") && Contains("cuda:0") && Contains("built without CUDA"));
  }
  CHECK(y == std::vector<float>(4, 0.0f));
}
