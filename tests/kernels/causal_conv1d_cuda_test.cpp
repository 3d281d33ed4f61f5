// The CUDA causal conv1d + SiLU, through the op's dispatcher, against the CPU op (the reference path): several
// tiles in a row carrying the history (tiles shorter than K-1 among them), forward and negative x strides,
// batches, with and without bias and weights by tap. The outputs agree within 1e-6 relative (the device expf
// and FMA contraction differ by ulps); the history is copied, so it must agree bit for bit. GPU outputs are
// filled with NaN first, so an element the kernel fails to write fails the comparison. Without a GPU the test
// reports itself skipped (tests/support/skip.h).
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "core/buffer.h"
#include "ops/causal_conv1d.h"
#include "kernel_test_data.h"
#include "support/skip.h"
#include "support/tensor_compare.h"

using namespace genomamba;
using test::download;
using test::random_values;

namespace {

}  // namespace

TEST_CASE("causal_conv1d_cuda: matches the CPU op over tiles carrying the history", "[cuda][ops]") {
  if (core::cuda_device_count() == 0) {
    test::skip_test("no CUDA device visible");
    return;
  }
  const auto [width, channels, batch, backwards, with_bias, by_tap] =
      GENERATE(table<int64_t, int64_t, int64_t, bool, bool, bool>({
          {4, 64, 1, false, true, true},
          {4, 64, 1, true, true, false},
          {4, 300, 3, false, false, true},
          {4, 300, 3, true, true, true},
          {4, 256, 2, true, false, false},
          {2, 96, 1, false, true, false},
          {2, 96, 3, true, false, true},
          {3, 33, 2, false, true, true},
          {1, 40, 2, true, true, false},
      }));
  CAPTURE(width, channels, batch, backwards, with_bias, by_tap);
  const int64_t K = width, Di = channels;
  std::mt19937 rng(23);
  const auto weight = random_values(rng, static_cast<size_t>(Di * K));  // [Di, K]
  std::vector<float> weight_by_tap(static_cast<size_t>(K * Di));        // [K, Di]
  for (int64_t d = 0; d < Di; ++d)
    for (int64_t k = 0; k < K; ++k) weight_by_tap[static_cast<size_t>(k * Di + d)] = weight[static_cast<size_t>(d * K + k)];
  const auto bias = random_values(rng, static_cast<size_t>(Di));
  // The history of each sequence padded; it starts random (as if earlier tiles had run).
  const int64_t history_batch_stride = (K - 1) * Di + 3;
  const size_t n_history = static_cast<size_t>(batch * history_batch_stride);
  std::vector<float> cpu_history = random_values(rng, n_history);

  const core::Device gpu = core::Device::cuda(0);
  core::Buffer d_weight = core::Buffer::from_host(gpu, weight), d_by_tap = core::Buffer::from_host(gpu, weight_by_tap);
  core::Buffer d_bias = core::Buffer::from_host(gpu, bias);
  core::Buffer d_history = core::Buffer::from_host(gpu, cpu_history);

  // Tiles in scan order: 1 and 2 tokens are shorter than K-1 for K = 4.
  for (const int64_t T : {5, 1, 2, 17, 1, 64, 3}) {
    CAPTURE(T);
    // x: B sequences of T rows of Di, rows padded (x_stride wider than Di), sequences padded; read backwards
    // (last row first, negative stride) when `backwards`.
    const int64_t row_stride = Di + 4, x_batch_stride = T * row_stride + 7;
    const int64_t out_batch_stride = T * Di + 5;
    const size_t n_x = static_cast<size_t>(batch * x_batch_stride), n_out = static_cast<size_t>(batch * out_batch_stride);
    const auto x = random_values(rng, n_x);
    const int64_t x_offset = backwards ? (T - 1) * row_stride : 0;

    ops::CausalConv1dParams p;
    p.n_tokens = T, p.channels = Di, p.width = K;
    p.x = x.data() + x_offset, p.x_stride = backwards ? -row_stride : row_stride;
    p.weight = weight.data(), p.bias = with_bias ? bias.data() : nullptr;
    p.weight_by_tap = by_tap ? weight_by_tap.data() : nullptr;
    p.n_batch = batch, p.x_batch_stride = x_batch_stride, p.out_batch_stride = out_batch_stride;
    p.history_batch_stride = history_batch_stride;
    std::vector<float> cpu_out(n_out, 0.0f);
    p.history = cpu_history.data(), p.out = cpu_out.data();
    ops::causal_conv1d(p);

    core::Buffer d_x = core::Buffer::from_host(gpu, x);
    core::Buffer d_out = core::Buffer::from_host(gpu, std::vector<float>(n_out, std::numeric_limits<float>::quiet_NaN()));
    ops::CausalConv1dParams g = p;
    g.x = d_x.f32() + x_offset, g.weight = d_weight.f32(), g.bias = with_bias ? d_bias.f32() : nullptr;
    g.weight_by_tap = by_tap ? d_by_tap.f32() : nullptr;
    g.history = d_history.f32(), g.out = d_out.f32();
    g.ctx.device = gpu;
    ops::causal_conv1d(g);

    // Only the outputs (not the padding between sequences, which neither side writes).
    const auto gpu_out = download(d_out, n_out);
    std::vector<float> got, want;
    for (int64_t b = 0; b < batch; ++b)
      for (int64_t i = 0; i < T * Di; ++i) {
        got.push_back(gpu_out[static_cast<size_t>(b * out_batch_stride + i)]);
        want.push_back(cpu_out[static_cast<size_t>(b * out_batch_stride + i)]);
      }
    CHECK(test::relative_error(got, want) <= 1e-6);
    CHECK(download(d_history, n_history) == cpu_history);
  }
}
