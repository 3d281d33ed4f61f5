#include <catch2/catch.hpp>

#include <algorithm>

#include "core/error.h"
#include "ops/causal_conv1d.h"
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
