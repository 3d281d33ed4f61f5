#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/threads.h"
#include "ops/causal_conv1d.h"
#include "ops/cpu/causal_conv1d_variants.h"
#include "support/reference.h"
#include "support/tensor_compare.h"

using namespace genomamba;
using test::random_floats;

namespace {

constexpr int64_t L = 53, Di = 37, K = 4, S = 2 * Di;  // S: row stride of the input buffer (like xz)

// Runs the op over the sequence stored in mem [L, S] (first Di columns) in tiles of `tile` tokens, in
// forward or reverse scan order; returns the output in scan order [L, Di].
std::vector<float> run_tiled(const std::vector<float>& mem, const std::vector<float>& w, const std::vector<float>& b,
                             int64_t tile, bool reverse) {
  std::vector<float> history(static_cast<size_t>((K - 1) * Di), 0.0f);
  std::vector<float> out(static_cast<size_t>(L * Di));
  for (int64_t t0 = 0; t0 < L; t0 += tile) {
    ops::CausalConv1dParams p;
    p.n_tokens = std::min(tile, L - t0), p.channels = Di, p.width = K;
    p.x = reverse ? mem.data() + (L - 1 - t0) * S : mem.data() + t0 * S;
    p.x_stride = reverse ? -S : S;
    p.weight = w.data(), p.bias = b.empty() ? nullptr : b.data(), p.history = history.data();
    p.out = out.data() + t0 * Di;
    ops::causal_conv1d(p);
  }
  return out;
}

// The first Di columns of mem in scan order, as float64.
test::Vec scan_order(const std::vector<float>& mem, bool reverse) {
  test::Vec x(static_cast<size_t>(L * Di));
  for (int64_t t = 0; t < L; ++t)
    for (int64_t d = 0; d < Di; ++d) x[t * Di + d] = mem[(reverse ? L - 1 - t : t) * S + d];
  return x;
}

}  // namespace

TEST_CASE("causal_conv1d: matches the naive float64 conv across tile splits with history", "[ops]") {
  const auto mem = random_floats(L * S, 21, -2.0f, 2.0f);
  const auto w = random_floats(Di * K, 22);
  const auto b = random_floats(Di, 23);
  const auto ref = test::to_float(test::ref_causal_conv1d(scan_order(mem, false), w, b, L, Di, K));
  for (int64_t tile : {int64_t{1}, int64_t{2}, int64_t{7}, int64_t{16}, L}) {
    INFO("tile " << tile);
    CHECK(test::relative_error(run_tiled(mem, w, b, tile, false), ref) <= 1e-6);
  }
}

TEST_CASE("causal_conv1d: negative stride reads the reverse direction backwards in memory", "[ops]") {
  const auto mem = random_floats(L * S, 24, -2.0f, 2.0f);
  const auto w = random_floats(Di * K, 25);
  const std::vector<float> no_bias;
  const auto ref = test::to_float(test::ref_causal_conv1d(scan_order(mem, true), w, no_bias, L, Di, K));
  for (int64_t tile : {int64_t{1}, int64_t{5}, L}) {
    INFO("tile " << tile);
    CHECK(test::relative_error(run_tiled(mem, w, no_bias, tile, true), ref) <= 1e-6);
  }
}

TEST_CASE("causal_conv1d: history holds the last K-1 inputs after a tile", "[ops]") {
  const auto mem = random_floats(L * S, 26);
  const auto w = random_floats(Di * K, 27);
  std::vector<float> history(static_cast<size_t>((K - 1) * Di), 0.0f), out(static_cast<size_t>(10 * Di));
  ops::CausalConv1dParams p;
  p.n_tokens = 10, p.channels = Di, p.width = K, p.x = mem.data(), p.x_stride = S;
  p.weight = w.data(), p.history = history.data(), p.out = out.data();
  ops::causal_conv1d(p);
  for (int64_t k = 0; k < K - 1; ++k)
    for (int64_t d = 0; d < Di; ++d) CHECK(history[k * Di + d] == mem[(10 - (K - 1) + k) * S + d]);
}

TEST_CASE("causal_conv1d: rejects a stride narrower than the channels", "[ops]") {
  std::vector<float> x(64), w(16), h(12), out(64);
  ops::CausalConv1dParams p;
  p.n_tokens = 2, p.channels = 4, p.width = 4, p.x = x.data(), p.x_stride = 3;
  p.weight = w.data(), p.history = h.data(), p.out = out.data();
  CHECK_THROWS_AS(ops::causal_conv1d(p), InternalError);
  p.x_stride = -2;
  CHECK_THROWS_AS(ops::causal_conv1d(p), InternalError);
}

namespace {

// One conv over a sequence in memory with row stride `stride` (the input in its first `channels` columns), in tiles
// of `tile` tokens, through `run_op`; returns the outputs in scan order [n, channels] followed by the final
// history [K-1, channels].
template <class RunOp>
std::vector<float> conv_sequence(const std::vector<float>& mem, int64_t n, int64_t channels, int64_t stride,
                                 int64_t width, const std::vector<float>& w, const std::vector<float>& b, int64_t tile,
                                 bool reverse, RunOp run_op) {
  std::vector<float> out(static_cast<size_t>((n + width - 1) * channels));
  float* history = out.data() + n * channels;
  for (int64_t t0 = 0; t0 < n; t0 += tile) {
    ops::CausalConv1dParams p;
    p.n_tokens = std::min(tile, n - t0), p.channels = channels, p.width = width;
    p.x = reverse ? mem.data() + (n - 1 - t0) * stride : mem.data() + t0 * stride;
    p.x_stride = reverse ? -stride : stride;
    p.weight = w.data(), p.bias = b.empty() ? nullptr : b.data(), p.history = history;
    p.out = out.data() + t0 * channels;
    run_op(p);
  }
  return out;
}

}  // namespace

TEST_CASE("causal_conv1d: every SIMD level matches the portable path", "[ops]") {
  using ops::cpu::SimdLevel;
  // (channels, width): the Caduceus shape, odd channel counts for vector tails, and a generic width.
  const auto shape = GENERATE(table<int64_t, int64_t>({{512, 4}, {37, 4}, {13, 4}, {45, 3}, {20, 1}, {24, 7}}));
  const auto [C, W] = shape;
  const int64_t n = 300, stride = 2 * C + 3;
  // Wide inputs, so that the SiLU sees arguments beyond its cap of |c| at 87, of both signs.
  const auto mem = random_floats(n * stride, 41, -40.0f, 40.0f);
  const auto w = random_floats(C * W, 42);
  const auto b = random_floats(C, 43);
  for (bool reverse : {false, true}) {
    const auto portable = conv_sequence(mem, n, C, stride, W, w, b, 128, reverse, [](const ops::CausalConv1dParams& p) {
      ops::cpu::causal_conv1d_cpu(p, SimdLevel::PORTABLE);
    });
    // The float64 reference of the whole sequence, for scale.
    test::Vec x(static_cast<size_t>(n * C));
    for (int64_t t = 0; t < n; ++t)
      for (int64_t d = 0; d < C; ++d) x[t * C + d] = mem[(reverse ? n - 1 - t : t) * stride + d];
    const auto ref = test::to_float(test::ref_causal_conv1d(x, w, b, n, C, W));
    // Per output, the size of the terms it sums: |bias| + sum_k |w_k x_k| (the history is the last inputs).
    std::vector<float> scale(portable.size());
    for (int64_t t = 0; t < n; ++t)
      for (int64_t d = 0; d < C; ++d) {
        double sum = std::abs(b[d]);
        for (int64_t k = 0; k < W; ++k)
          if (t - (W - 1) + k >= 0) sum += std::abs(w[d * W + k] * x[(t - (W - 1) + k) * C + d]);
        scale[t * C + d] = static_cast<float>(sum);
      }
    const std::vector<float> portable_out(portable.begin(), portable.begin() + n * C);
    CHECK(test::relative_error(portable_out, ref) <= 1e-6);
    for (SimdLevel level : {SimdLevel::AVX2, SimdLevel::AVX512}) {
      if (!ops::cpu::simd_supported(level)) {
        WARN("SIMD level " << ops::cpu::simd_level_name(level) << " not supported here; skipped");
        continue;
      }
      INFO("level " << ops::cpu::simd_level_name(level) << " channels " << C << " width " << W << " reverse "
                    << reverse);
      const auto got =
          conv_sequence(mem, n, C, stride, W, w, b, 128, reverse,
                        [level](const ops::CausalConv1dParams& p) { ops::cpu::causal_conv1d_cpu(p, level); });
      REQUIRE(got.size() == portable.size());
      // FMA contraction (and the exp) are the only differences: a few ulp of the terms summed (the history
      // at the end is copied, so exact).
      double worst = 0.0;  // the largest |got - portable| / (1 + scale)
      for (size_t i = 0; i < got.size(); ++i)
        worst = std::max(worst, std::abs(static_cast<double>(got[i]) - portable[i]) / (1.0 + scale[i]));
      CHECK(worst <= 1e-6);
    }
  }
}

TEST_CASE("causal_conv1d: SiLU saturates cleanly at large arguments", "[ops]") {
  // Width 1, weight 1, no bias: out = SiLU(x), also for arguments beyond the cap of |x| at 87.
  const std::vector<float> x = {-1000.0f, -100.0f, -88.5f, -20.0f, -1e-3f, 0.0f, 1e-3f, 20.0f, 88.5f, 100.0f, 1000.0f};
  const int64_t n = static_cast<int64_t>(x.size());
  const std::vector<float> w = {1.0f};
  for (ops::cpu::SimdLevel level :
       {ops::cpu::SimdLevel::PORTABLE, ops::cpu::SimdLevel::AVX2, ops::cpu::SimdLevel::AVX512}) {
    if (!ops::cpu::simd_supported(level)) continue;
    INFO("level " << ops::cpu::simd_level_name(level));
    std::vector<float> out(x.size(), -7.0f);
    ops::CausalConv1dParams p;
    p.n_tokens = n, p.channels = 1, p.width = 1;
    p.x = x.data(), p.x_stride = 1, p.weight = w.data(), p.out = out.data();
    ops::cpu::causal_conv1d_cpu(p, level);
    for (int64_t i = 0; i < n; ++i) {
      INFO("x " << x[i]);
      CHECK(std::isfinite(out[i]));
      CHECK(std::abs(out[i] - static_cast<float>(test::ref_silu(x[i]))) <= 1e-6f * (1.0f + std::abs(x[i])));
    }
  }
}

TEST_CASE("causal_conv1d: 1 and 2 threads give bit-identical results", "[ops]") {
  const int64_t n = 700, C = 512, stride = 2 * C;
  const auto mem = random_floats(n * stride, 44, -3.0f, 3.0f);
  const auto w = random_floats(C * 4, 45);
  const auto b = random_floats(C, 46);
  const int saved = core::num_threads();
  auto run = [&](int threads) {
    core::set_num_threads(threads);
    return conv_sequence(mem, n, C, stride, 4, w, b, 256, false,
                         [](const ops::CausalConv1dParams& p) { ops::causal_conv1d(p); });
  };
  const auto one = run(1);
  const auto two = run(2);
  core::set_num_threads(saved);
  CHECK(one == two);
}
