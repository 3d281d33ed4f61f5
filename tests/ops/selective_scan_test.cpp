#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "ops/selective_scan.h"
#include "support/reference.h"
#include "support/tensor_compare.h"

using namespace genomamba;
using test::random_floats;

namespace {

constexpr int64_t L = 45, Di = 21, N = 16, R = 3, W = R + 2 * N;  // Di: two blocks of 8 plus a tail

struct ScanInputs {
  std::vector<float> u, delta_raw, x_dbl, zmem, delta_bias, A, D;  // u, delta_raw, x_dbl in scan order
  explicit ScanInputs(uint32_t seed) {
    u = random_floats(L * Di, seed + 1, -2.0f, 2.0f);
    delta_raw = random_floats(L * Di, seed + 2, -3.0f, 1.0f);
    delta_raw[5 * Di + 3] = 30.0f;  // exercises the softplus threshold
    delta_raw[9 * Di + 20] = 22.0f;
    x_dbl = random_floats(L * W, seed + 3);
    zmem = random_floats(L * 2 * Di, seed + 4, -3.0f, 3.0f);  // like xz: z in columns Di..2Di-1
    delta_bias = random_floats(Di, seed + 5, -4.0f, -1.0f);
    A.resize(Di * N);
    const auto noise = random_floats(Di * N, seed + 6, -0.2f, 0.2f);
    for (int64_t d = 0; d < Di; ++d)
      for (int64_t n = 0; n < N; ++n) A[d * N + n] = -std::exp(std::log(static_cast<float>(n + 1)) + noise[d * N + n]);
    D = random_floats(Di, seed + 7);
  }

  // The float64 reference output in scan order.
  std::vector<float> reference(bool reverse) const {
    test::Vec uu(u.begin(), u.end()), dr(delta_raw.begin(), delta_raw.end()), B(L * N), C(L * N), z(L * Di);
    for (int64_t t = 0; t < L; ++t) {
      for (int64_t n = 0; n < N; ++n) B[t * N + n] = x_dbl[t * W + R + n], C[t * N + n] = x_dbl[t * W + R + N + n];
      const int64_t m = reverse ? L - 1 - t : t;
      for (int64_t d = 0; d < Di; ++d) z[t * Di + d] = zmem[m * 2 * Di + Di + d];
    }
    return test::to_float(test::ref_selective_scan(uu, dr, delta_bias, A, B, C, D, z, L, Di, N));
  }

  // Runs the op in tiles; out is [L, Di] in memory order (reverse: scan token t at row L-1-t).
  void run(std::vector<float>& out, int64_t tile, bool reverse, bool accumulate) const {
    std::vector<float> state(static_cast<size_t>(Di * N), 0.0f);
    for (int64_t t0 = 0; t0 < L; t0 += tile) {
      const int64_t m0 = reverse ? L - 1 - t0 : t0;  // memory row of the tile's first token
      ops::SelectiveScanParams p;
      p.n_tokens = std::min(tile, L - t0), p.d_inner = Di, p.d_state = N;
      p.u = u.data() + t0 * Di, p.delta_raw = delta_raw.data() + t0 * Di, p.delta_bias = delta_bias.data();
      p.A = A.data(), p.B = x_dbl.data() + t0 * W + R, p.C = x_dbl.data() + t0 * W + R + N, p.bc_stride = W;
      p.D = D.data(), p.z = zmem.data() + m0 * 2 * Di + Di, p.z_stride = reverse ? -2 * Di : 2 * Di;
      p.state = state.data(), p.out = out.data() + m0 * Di, p.out_stride = reverse ? -Di : Di;
      p.accumulate = accumulate;
      ops::selective_scan(p);
    }
  }
};

std::vector<float> to_scan_order(const std::vector<float>& mem, bool reverse) {
  std::vector<float> v(mem.size());
  for (int64_t t = 0; t < L; ++t)
    std::copy_n(mem.begin() + (reverse ? L - 1 - t : t) * Di, Di, v.begin() + t * Di);
  return v;
}

}  // namespace

TEST_CASE("selective_scan: matches the naive float64 recurrence across tile splits", "[ops]") {
  const ScanInputs in(100);
  const auto ref = in.reference(false);
  for (int64_t tile : {int64_t{1}, int64_t{4}, int64_t{16}, L}) {
    INFO("tile " << tile);
    std::vector<float> out(L * Di, 123.0f);
    in.run(out, tile, false, false);
    CHECK(test::relative_error(out, ref) <= 1e-5);
  }
}

TEST_CASE("selective_scan: negative strides run the reverse direction in place", "[ops]") {
  const ScanInputs in(200);
  const auto ref = in.reference(true);
  for (int64_t tile : {int64_t{1}, int64_t{7}, L}) {
    INFO("tile " << tile);
    std::vector<float> out(L * Di, 0.0f);
    in.run(out, tile, true, false);
    CHECK(test::relative_error(to_scan_order(out, true), ref) <= 1e-5);
  }
}

TEST_CASE("selective_scan: accumulate adds the gated output to out", "[ops]") {
  const ScanInputs in(300);
  const auto y0 = random_floats(L * Di, 301);
  for (bool reverse : {false, true}) {
    INFO("reverse " << reverse);
    auto ref = in.reference(reverse);
    const auto y0_scan = to_scan_order(y0, reverse);
    for (size_t i = 0; i < ref.size(); ++i) ref[i] += y0_scan[i];
    auto out = y0;
    in.run(out, 6, reverse, true);
    CHECK(test::relative_error(to_scan_order(out, reverse), ref) <= 1e-5);
  }
}

TEST_CASE("selective_scan: rejects a d_state beyond the supported maximum", "[ops]") {
  std::vector<float> buf(4096);
  ops::SelectiveScanParams p;
  p.n_tokens = 1, p.d_inner = 4, p.d_state = ops::kMaxScanState + 1;
  p.u = p.delta_raw = p.delta_bias = p.A = p.B = p.C = p.D = p.z = buf.data();
  p.state = p.out = buf.data();
  p.bc_stride = p.d_state, p.z_stride = 4, p.out_stride = 4;
  CHECK_THROWS_AS(ops::selective_scan(p), InternalError);
}
