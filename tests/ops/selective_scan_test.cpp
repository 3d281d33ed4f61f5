#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "ops/compose_scan_states.h"
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
  std::vector<float> reference(bool reverse) const { return test::to_float(reference64(reverse, nullptr, nullptr)); }

  // The float64 reference from state h0 ([Di, N]; null = zero), its final state in `final_state`.
  test::Vec reference64(bool reverse, const test::Vec* h0, test::Vec* final_state) const {
    test::Vec uu(u.begin(), u.end()), dr(delta_raw.begin(), delta_raw.end()), B(L * N), C(L * N), z(L * Di);
    for (int64_t t = 0; t < L; ++t) {
      for (int64_t n = 0; n < N; ++n) B[t * N + n] = x_dbl[t * W + R + n], C[t * N + n] = x_dbl[t * W + R + N + n];
      const int64_t m = reverse ? L - 1 - t : t;
      for (int64_t d = 0; d < Di; ++d) z[t * Di + d] = zmem[m * 2 * Di + Di + d];
    }
    return test::ref_selective_scan(uu, dr, delta_bias, A, B, C, D, z, L, Di, N, h0, final_state);
  }

  // Runs the op in tiles; out is [L, Di] in memory order (reverse: scan token t at row L-1-t).
  void run(std::vector<float>& out, int64_t tile, bool reverse, bool accumulate) const {
    std::vector<float> state(static_cast<size_t>(Di * N), 0.0f);
    run_range(out, 0, L, tile, reverse, accumulate, state.data(), nullptr, false);
  }

  // Runs scan tokens [t_begin, t_end) in tiles from `state` (updated), adding their deltas to delta_sum.
  void run_range(std::vector<float>& out, int64_t t_begin, int64_t t_end, int64_t tile, bool reverse, bool accumulate,
                 float* state, float* delta_sum, bool state_only) const {
    for (int64_t t0 = t_begin; t0 < t_end; t0 += tile) {
      const int64_t m0 = reverse ? L - 1 - t0 : t0;  // memory row of the tile's first token
      ops::SelectiveScanParams p;
      p.n_tokens = std::min(tile, t_end - t0), p.d_inner = Di, p.d_state = N;
      p.u = state_only ? nullptr : u.data() + t0 * Di;
      p.delta_raw = delta_raw.data() + t0 * Di, p.delta_bias = delta_bias.data();
      p.A = A.data(), p.B = state_only ? nullptr : x_dbl.data() + t0 * W + R;
      p.C = x_dbl.data() + t0 * W + R + N, p.bc_stride = W;
      p.D = D.data(), p.z = zmem.data() + m0 * 2 * Di + Di, p.z_stride = reverse ? -2 * Di : 2 * Di;
      p.state = state, p.out = out.data() + m0 * Di, p.out_stride = reverse ? -Di : Di;
      p.accumulate = accumulate, p.delta_sum = delta_sum, p.state_only = state_only;
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

TEST_CASE("selective_scan: state_only adds just the carried state's contribution; delta_sum sums the deltas", "[ops]") {
  const ScanInputs in(400);
  const auto h0 = random_floats(Di * N, 401);
  const test::Vec h0_64(h0.begin(), h0.end());
  const auto y0 = random_floats(L * Di, 402);
  for (bool reverse : {false, true}) {
    INFO("reverse " << reverse);
    // The scan is affine in its state: the contribution of h0 is scan(h0) - scan(0), state and output alike.
    test::Vec final_h0, final_zero;
    const test::Vec with_h0 = in.reference64(reverse, &h0_64, &final_h0);
    const test::Vec from_zero = in.reference64(reverse, nullptr, &final_zero);
    const auto y0_scan = to_scan_order(y0, reverse);
    std::vector<float> expected(L * Di), expected_state(Di * N), expected_sum(Di, 0.0f);
    for (size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<float>(y0_scan[i] + with_h0[i] - from_zero[i]);
    for (size_t i = 0; i < expected_state.size(); ++i) expected_state[i] = static_cast<float>(final_h0[i] - final_zero[i]);
    for (int64_t d = 0; d < Di; ++d) {
      double sum = 0.0;
      for (int64_t t = 0; t < L; ++t) sum += test::ref_softplus(double{in.delta_raw[t * Di + d]} + in.delta_bias[d]);
      expected_sum[d] = static_cast<float>(sum);
    }
    for (int64_t tile : {int64_t{1}, int64_t{7}, L}) {
      INFO("tile " << tile);
      auto out = y0;
      auto state = h0;
      std::vector<float> delta_sum(Di, 0.0f);
      in.run_range(out, 0, L, tile, reverse, true, state.data(), delta_sum.data(), true);
      CHECK(test::relative_error(to_scan_order(out, reverse), expected) <= 1e-5);
      CHECK(test::relative_error(state, expected_state) <= 1e-5);
      CHECK(test::relative_error(delta_sum, expected_sum) <= 1e-6);
    }
  }
}

// The sequence-parallel algorithm on one process: K chunks, each scanned from zero (its summary: final state
// and sum of deltas), composed into the state entering each chunk, then corrected with a state-only pass.
TEST_CASE("selective_scan: K chunks scanned from zero, composed and corrected equal the sequential scan", "[ops]") {
  const ScanInputs in(500);
  for (bool reverse : {false, true}) {
    test::Vec final_ref;
    const auto ref = test::to_float(in.reference64(reverse, nullptr, &final_ref));
    for (int64_t K = 1; K <= 8; ++K) {
      INFO("reverse " << reverse << " chunks " << K);
      std::vector<float> out(L * Di, 77.0f), finals(K * Di * N, 0.0f), sums(K * Di, 0.0f), incoming(K * Di * N);
      const auto begin = [K](int64_t k) { return k * L / K; };  // 45 tokens: chunks of 5 to 45, unequal
      for (int64_t k = 0; k < K; ++k) {
        in.run_range(out, begin(k), begin(k + 1), 4, reverse, false, finals.data() + k * Di * N, sums.data() + k * Di,
                     false);
      }
      std::vector<float> final_state(Di * N);
      ops::ComposeScanStatesParams c;
      c.n_chunks = K, c.d_inner = Di, c.d_state = N, c.A = in.A.data(), c.chunk_final = finals.data();
      c.delta_sum = sums.data(), c.incoming = incoming.data(), c.final_state = final_state.data();
      ops::compose_scan_states(c);
      for (int64_t k = 1; k < K; ++k) {
        in.run_range(out, begin(k), begin(k + 1), 4, reverse, true, incoming.data() + k * Di * N, nullptr, true);
      }
      CHECK(test::relative_error(to_scan_order(out, reverse), ref) <= 1e-5);
      CHECK(test::relative_error(final_state, test::to_float(final_ref)) <= 1e-5);
    }
  }
}
