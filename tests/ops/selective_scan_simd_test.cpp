// The SIMD variants of the CPU selective scan against the portable path, and the run-time choice.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "core/threads.h"
#include "ops/cpu/simd_kernels.h"
#include "ops/selective_scan.h"
#include "support/reference.h"
#include "support/tensor_compare.h"
#include "support/skip.h"

using namespace genomamba;
using ops::cpu::SimdLevel;
using test::random_floats;

namespace {

// One scan problem in the model's layout: B and C are columns of x_dbl [L, R + 2N], z the second half of
// xz [L, 2Di]; the reverse direction walks z and out backwards through negative strides.
struct Problem {
  int64_t L, Di, N;
  static constexpr int64_t R = 3;
  std::vector<float> u, delta_raw, x_dbl, zmem, delta_bias, A, D, state0, out0;

  Problem(int64_t L_, int64_t Di_, int64_t N_, uint32_t seed) : L(L_), Di(Di_), N(N_) {
    const int64_t W = R + 2 * N;
    u = random_floats(L * Di, seed + 1, -2.0f, 2.0f);
    delta_raw = random_floats(L * Di, seed + 2, -3.0f, 1.0f);
    delta_raw[(L / 2) * Di + Di - 1] = 30.0f;  // the softplus threshold
    delta_raw[(L / 3) * Di] = 22.0f;
    delta_raw[(L - 1) * Di + Di / 2] = -40.0f;
    x_dbl = random_floats(L * W, seed + 3);
    zmem = random_floats(L * 2 * Di, seed + 4, -3.0f, 3.0f);
    delta_bias = random_floats(Di, seed + 5, -4.0f, -1.0f);
    delta_bias[0] = 2.0f;  // large deltas: decays far below 2^-126
    A.resize(Di * N);
    const auto noise = random_floats(Di * N, seed + 6, -0.2f, 0.2f);
    for (int64_t d = 0; d < Di; ++d)
      for (int64_t n = 0; n < N; ++n) A[d * N + n] = -std::exp(std::log(static_cast<float>(n + 1)) + noise[d * N + n]);
    A[0] = -80.0f;
    D = random_floats(Di, seed + 7);
    state0 = random_floats(Di * N, seed + 8);  // a state carried in from an earlier tile
    out0 = random_floats(L * Di, seed + 9);
  }

  struct Result {
    std::vector<float> out, state, delta_sum;
  };

  // Runs the op in tiles of `tile` tokens with one variant; out is [L, Di] in memory order.
  Result run(SimdLevel level, int64_t tile, bool reverse, bool accumulate, bool state_only = false) const {
    const int64_t W = R + 2 * N;
    Result r{out0, state0, std::vector<float>(Di, 0.5f)};
    for (int64_t t0 = 0; t0 < L; t0 += tile) {
      const int64_t m0 = reverse ? L - 1 - t0 : t0;
      ops::SelectiveScanParams p;
      p.n_tokens = std::min(tile, L - t0), p.d_inner = Di, p.d_state = N;
      // The correction pass gives neither u nor B (the op's contract allows both null there).
      p.u = state_only ? nullptr : u.data() + t0 * Di;
      p.delta_raw = delta_raw.data() + t0 * Di, p.delta_bias = delta_bias.data(), p.A = A.data();
      p.B = state_only ? nullptr : x_dbl.data() + t0 * W + R, p.C = x_dbl.data() + t0 * W + R + N, p.bc_stride = W;
      p.D = D.data(), p.z = zmem.data() + m0 * 2 * Di + Di, p.z_stride = reverse ? -2 * Di : 2 * Di;
      p.state = r.state.data(), p.out = r.out.data() + m0 * Di, p.out_stride = reverse ? -Di : Di;
      p.accumulate = accumulate, p.delta_sum = r.delta_sum.data(), p.state_only = state_only;
      ops::cpu::selective_scan_cpu(p, level);
    }
    return r;
  }
};

// Odd channel counts (masked last block), d_state 16, 5 and the maximum, token counts across the internal
// 64-token tile, tiles with the state carried between calls, both directions, accumulate on and off, and the
// state-only correction pass; delta_sum in every run.
void check_against_portable(SimdLevel level) {
  struct Shape {
    int64_t L, Di, N;
  };
  for (Shape s : {Shape{45, 21, 16}, Shape{133, 37, 5}, Shape{70, 16, 16}, Shape{9, 3, ops::kMaxScanState},
                  Shape{200, 67, 16}}) {
    const Problem pb(s.L, s.Di, s.N, static_cast<uint32_t>(s.L * 1000 + s.Di));
    for (int64_t tile : {int64_t{1}, int64_t{7}, int64_t{64}, s.L}) {
      for (bool reverse : {false, true}) {
        for (int mode = 0; mode < 3; ++mode) {
          const bool accumulate = mode > 0, state_only = mode == 2;  // the correction pass always accumulates
          INFO("L " << s.L << " Di " << s.Di << " N " << s.N << " tile " << tile << " reverse " << reverse
                    << " accumulate " << accumulate << " state_only " << state_only);
          const auto ref = pb.run(SimdLevel::PORTABLE, tile, reverse, accumulate, state_only);
          const auto got = pb.run(level, tile, reverse, accumulate, state_only);
          CHECK(test::relative_error(got.out, ref.out) <= 1e-5);
          CHECK(test::relative_error(got.state, ref.state) <= 1e-5);
          CHECK(test::relative_error(got.delta_sum, ref.delta_sum) <= 1e-6);
          CHECK(std::all_of(got.out.begin(), got.out.end(), [](float v) { return std::isfinite(v); }));
        }
      }
    }
  }
}

// The same output bits with one thread and with two (each output belongs to one thread in a fixed order).
void check_thread_independence(SimdLevel level) {
  const Problem pb(150, 45, 16, 9);
  const int saved = core::num_threads();
  core::set_num_threads(1);
  const auto one = pb.run(level, 64, true, true);
  core::set_num_threads(2);
  const auto two = pb.run(level, 64, true, true);
  core::set_num_threads(saved);
  CHECK(one.out == two.out);
  CHECK(one.state == two.state);
}

bool skip_unless_supported(SimdLevel level) {
  if (ops::cpu::simd_supported(level)) return false;
  test::skip_test(std::string("the ") + ops::cpu::simd_level_name(level) + " variant cannot run on this CPU or build");
  return true;
}

}  // namespace

TEST_CASE("selective_scan: the AVX2 variant matches the portable path", "[ops][may-skip][avx2]") {
  if (skip_unless_supported(SimdLevel::AVX2)) return;
  check_against_portable(SimdLevel::AVX2);
  check_thread_independence(SimdLevel::AVX2);
}

TEST_CASE("selective_scan: the AVX-512 variant matches the portable path", "[ops][may-skip][avx512]") {
  if (skip_unless_supported(SimdLevel::AVX512)) return;
  check_against_portable(SimdLevel::AVX512);
  check_thread_independence(SimdLevel::AVX512);
}

TEST_CASE("selective_scan: the portable path does not depend on the thread count", "[ops]") {
  check_thread_independence(SimdLevel::PORTABLE);
}

TEST_CASE("selective_scan: GENOMAMBA_SIMD values choose a supported variant", "[ops]") {
  using ops::cpu::choose_simd_level;
  const SimdLevel best = ops::cpu::best_simd_level();
  CHECK(ops::cpu::simd_supported(best));
  CHECK(choose_simd_level(nullptr) == best);
  CHECK(choose_simd_level("") == best);
  CHECK(choose_simd_level("auto") == best);
  CHECK(choose_simd_level("portable") == SimdLevel::PORTABLE);
  for (SimdLevel level : {SimdLevel::AVX2, SimdLevel::AVX512}) {
    const SimdLevel chosen = choose_simd_level(ops::cpu::simd_level_name(level));
    CHECK(chosen == (ops::cpu::simd_supported(level) ? level : best));
  }
  CHECK(choose_simd_level("sse9") == best);  // logs a warning
  CHECK(ops::cpu::simd_supported(ops::cpu::active_simd_level()));
}

TEST_CASE("selective_scan: an unsupported variant is refused, not run", "[ops][may-skip][unsupported-simd]") {
  int checked = 0;
  for (SimdLevel level : {SimdLevel::AVX2, SimdLevel::AVX512}) {
    if (ops::cpu::simd_supported(level)) continue;
    ops::SelectiveScanParams p;
    CHECK_THROWS_AS(ops::cpu::selective_scan_cpu(p, level), InternalError);
    ++checked;
  }
  if (checked == 0) test::skip_test("this CPU and build support every SIMD variant: none to refuse");
}
