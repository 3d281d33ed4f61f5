#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "ops/cpu/simd_kernels.h"
#include "support/reference.h"

using namespace genomamba;
using ops::cpu::SimdLevel;
using ops::cpu::SimdMathFn;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

std::vector<float> apply(SimdLevel level, SimdMathFn fn, const std::vector<float>& x) {
  std::vector<float> y(x.size(), -1.0f);
  if (level == SimdLevel::AVX2)
    ops::cpu::simd_math_avx2(fn, x.data(), y.data(), static_cast<int64_t>(x.size()));
  else
    ops::cpu::simd_math_avx512(fn, x.data(), y.data(), static_cast<int64_t>(x.size()));
  return y;
}

// n evenly spaced points over [lo, hi] plus n uniform random ones (an odd count exercises the masked tail).
std::vector<float> grid(float lo, float hi, int n = 200001) {
  std::vector<float> x(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) x[i] = lo + (hi - lo) * static_cast<float>(i) / static_cast<float>(n - 1);
  const auto r = test::random_floats(static_cast<size_t>(n), 77, lo, hi);
  x.insert(x.end(), r.begin(), r.end());
  return x;
}

// max |y - ref| / |ref| over x, with ref computed in double.
template <class Ref>
double max_rel_error(const std::vector<float>& x, const std::vector<float>& y, Ref ref) {
  double worst = 0.0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double r = ref(static_cast<double>(x[i]));
    worst = std::fmax(worst, std::fabs(static_cast<double>(y[i]) - r) / std::fabs(r));
  }
  return worst;
}

std::vector<SimdLevel> supported_vector_levels() {
  std::vector<SimdLevel> levels;
  for (SimdLevel level : {SimdLevel::AVX2, SimdLevel::AVX512}) {
    if (ops::cpu::simd_supported(level))
      levels.push_back(level);
    else
      WARN("skipped: the " << ops::cpu::simd_level_name(level) << " variant cannot run on this CPU or build");
  }
  return levels;
}

}  // namespace

TEST_CASE("simd math: exp is within 2 ulp of std::exp, with IEEE edges", "[ops]") {
  for (SimdLevel level : supported_vector_levels()) {
    INFO(ops::cpu::simd_level_name(level));
    const auto x = grid(-87.3f, 88.7f);  // results are normal floats
    CHECK(max_rel_error(x, apply(level, SimdMathFn::EXP, x), [](double v) { return std::exp(v); }) <= 2.4e-7);
    const auto xd = grid(-103.0f, -87.4f, 20001);  // denormal results: an absolute bound of an ulp there
    const auto yd = apply(level, SimdMathFn::EXP, xd);
    double worst = 0.0;
    for (size_t i = 0; i < xd.size(); ++i)
      worst = std::fmax(worst, std::fabs(yd[i] - std::exp(static_cast<double>(xd[i]))) /
                                   (std::exp(static_cast<double>(xd[i])) * 2.4e-7 + 0x1p-149));
    CHECK(worst <= 1.0);
    const auto e = apply(level, SimdMathFn::EXP, {0.0f, 1.0f, -200.0f, -kInf, 89.0f, 1000.0f, kInf, kNaN, 88.72f});
    CHECK(e[0] == 1.0f);
    CHECK(std::fabs(e[1] - 2.7182817f) <= 3e-7f);
    CHECK(e[2] == 0.0f);
    CHECK(e[3] == 0.0f);
    CHECK(e[4] == kInf);
    CHECK(e[5] == kInf);
    CHECK(e[6] == kInf);
    CHECK(std::isnan(e[7]));
    CHECK(std::isfinite(e[8]));
  }
}

TEST_CASE("simd math: the scan's exp2 is within 2 ulp and flushes below 2^-126", "[ops]") {
  for (SimdLevel level : supported_vector_levels()) {
    INFO(ops::cpu::simd_level_name(level));
    const auto x = grid(-126.0f, 127.4f);
    CHECK(max_rel_error(x, apply(level, SimdMathFn::EXP2_SCAN, x), [](double v) { return std::exp2(v); }) <= 2.4e-7);
    const auto xs = grid(-20.0f, 0.0f);  // the scan's usual range
    CHECK(max_rel_error(xs, apply(level, SimdMathFn::EXP2_SCAN, xs), [](double v) { return std::exp2(v); }) <= 1.8e-7);
    const auto xu = grid(-126.49f, -126.0f, 1001);  // at most 2^-126; 0 or a denormal
    for (float v : apply(level, SimdMathFn::EXP2_SCAN, xu)) CHECK((v >= 0.0f && v <= 0x1p-126f));
    const auto e = apply(level, SimdMathFn::EXP2_SCAN,
                         {0.0f, -3.0f, 5.0f, -126.6f, -150.0f, -1e30f, -kInf, 128.0f, 300.0f, kInf, kNaN});
    CHECK(e[0] == 1.0f);
    CHECK(e[1] == 0.125f);
    CHECK(e[2] == 32.0f);
    for (int i = 3; i <= 6; ++i) CHECK(e[i] == 0.0f);
    for (int i = 7; i <= 9; ++i) CHECK(e[i] == kInf);
    CHECK(std::isnan(e[10]));
  }
}

TEST_CASE("simd math: softplus matches log1p(exp(v)) with PyTorch's threshold", "[ops]") {
  for (SimdLevel level : supported_vector_levels()) {
    INFO(ops::cpu::simd_level_name(level));
    const auto x = grid(-87.0f, 60.0f);
    CHECK(max_rel_error(x, apply(level, SimdMathFn::SOFTPLUS, x), test::ref_softplus) <= 1e-6);
    const auto xt = grid(-4.0f, 4.0f);  // where the scan's delta usually is
    CHECK(max_rel_error(xt, apply(level, SimdMathFn::SOFTPLUS, xt), test::ref_softplus) <= 3e-7);
    const auto e = apply(level, SimdMathFn::SOFTPLUS, {20.5f, 1e30f, kInf, -kInf, -200.0f, kNaN});
    CHECK(e[0] == 20.5f);
    CHECK(e[1] == 1e30f);
    CHECK(e[2] == kInf);
    CHECK(e[3] == 0.0f);
    CHECK((e[4] >= 0.0f && e[4] < 1e-37f));
    CHECK(std::isnan(e[5]));
  }
}

TEST_CASE("simd math: silu matches v / (1 + exp(-v))", "[ops]") {
  for (SimdLevel level : supported_vector_levels()) {
    INFO(ops::cpu::simd_level_name(level));
    auto x = grid(-80.0f, 88.0f);
    std::erase(x, 0.0f);
    CHECK(max_rel_error(x, apply(level, SimdMathFn::SILU, x), test::ref_silu) <= 1e-6);
    const auto e = apply(level, SimdMathFn::SILU, {0.0f, -100.0f, 100.0f, kInf, kNaN});
    CHECK(e[0] == 0.0f);
    CHECK((e[1] <= 0.0f && e[1] > -1e-37f));
    CHECK(e[2] == 100.0f);
    CHECK(e[3] == kInf);
    CHECK(std::isnan(e[4]));
  }
}
