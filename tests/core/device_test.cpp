// Devices, dtypes and device buffers (core/device.h, core/buffer.h).
#include <catch2/catch.hpp>

#include <vector>

#include "core/buffer.h"
#include "core/device.h"
#include "core/error.h"

using namespace genomamba;
using Catch::Contains;

TEST_CASE("parse_device: cpu, cuda and cuda:<index>; anything else is a usage error naming it", "[core]") {
  CHECK(core::parse_device("cpu") == core::Device::cpu());
  CHECK(core::parse_device("cuda") == core::Device::cuda(0));
  CHECK(core::parse_device("cuda:3") == core::Device::cuda(3));
  CHECK(core::parse_device("cuda:3").name() == "cuda:3");
  CHECK(core::Device::cpu().name() == "cpu");
  for (const char* bad : {"gpu", "cuda:", "cuda:-1", "cuda:1x", "CPU", "cuda:99999999999", ""}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(core::parse_device(bad), UsageError);
    CHECK_THROWS_WITH(core::parse_device(bad), Contains(std::string("'") + bad + "'"));
  }
}

TEST_CASE("parse_dtype: f32 and bf16", "[core]") {
  CHECK(core::parse_dtype("f32") == core::DType::F32);
  CHECK(core::parse_dtype("bf16") == core::DType::BF16);
  CHECK(core::dtype_size(core::DType::BF16) == 2);
  CHECK_THROWS_AS(core::parse_dtype("f16"), UsageError);
}

TEST_CASE("Buffer: CPU memory is zeroed, aligned, and round-trips", "[core]") {
  const std::vector<float> values = {1.5f, -2.0f, 3.25f};
  core::Buffer buffer = core::Buffer::from_host(core::Device::cpu(), values);
  CHECK(buffer.bytes() == 12);
  CHECK(reinterpret_cast<uintptr_t>(buffer.data()) % 64 == 0);
  std::vector<float> back(3);
  buffer.copy_to_host(back);
  CHECK(back == values);
  core::Buffer zeros(core::Device::cpu(), 1000 * sizeof(float));
  for (int i = 0; i < 1000; ++i) REQUIRE(zeros.f32()[i] == 0.0f);
  core::Buffer moved = std::move(zeros);
  CHECK(moved.bytes() == 4000);
  CHECK(zeros.data() == nullptr);  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  std::vector<float> too_many(4);
  CHECK_THROWS_AS(buffer.copy_to_host(too_many), InternalError);
}

TEST_CASE("Buffer: a CUDA device that is not visible, or a build without CUDA, is a clear error", "[core]") {
  const int visible = core::cuda_device_count();
  const core::Device missing = core::Device::cuda(visible);  // one past the last visible device
  CHECK_THROWS_AS(core::Buffer(missing, 64), ConfigError);
  CHECK_THROWS_WITH(core::Buffer(missing, 64),
                    Contains("cuda:" + std::to_string(visible)) &&
                        Contains(core::built_with_cuda() ? "not visible" : "built without CUDA"));
}
