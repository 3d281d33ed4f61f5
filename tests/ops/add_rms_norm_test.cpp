#include <catch2/catch.hpp>

#include "core/error.h"
#include "ops/add_rms_norm.h"
#include "support/reference.h"
#include "support/tensor_compare.h"

using namespace genomamba;
using test::random_floats;

TEST_CASE("add_rms_norm: adds x to the residual and normalizes, out aliasing x", "[ops]") {
  const int64_t T = 29, D = 70;
  const auto x0 = random_floats(T * D, 11, -2.0f, 2.0f);
  const auto r0 = random_floats(T * D, 12, -2.0f, 2.0f);
  const auto w = random_floats(D, 13, 0.5f, 1.5f);
  auto buf = x0;  // x and out share this buffer
  auto res = r0;
  ops::AddRmsNormParams p;
  p.n_rows = T, p.n_cols = D, p.eps = 1e-5f;
  p.x = buf.data(), p.residual = res.data(), p.weight = w.data(), p.out = buf.data();
  ops::add_rms_norm(p);

  test::Vec sum(x0.size());
  for (size_t i = 0; i < sum.size(); ++i) sum[i] = static_cast<double>(x0[i]) + r0[i];
  CHECK(test::relative_error(res, test::to_float(sum)) <= 1e-7);
  CHECK(test::relative_error(buf, test::to_float(test::ref_rms_norm(sum, w, T, D, 1e-5))) <= 1e-6);
}

TEST_CASE("add_rms_norm: without x normalizes the residual as it is", "[ops]") {
  const int64_t T = 5, D = 256;
  const auto r0 = random_floats(T * D, 14);
  const auto w = random_floats(D, 15);
  auto res = r0;
  std::vector<float> out(T * D);
  ops::AddRmsNormParams p;
  p.n_rows = T, p.n_cols = D;
  p.residual = res.data(), p.weight = w.data(), p.out = out.data();
  ops::add_rms_norm(p);
  CHECK(res == r0);
  const test::Vec r(r0.begin(), r0.end());
  CHECK(test::relative_error(out, test::to_float(test::ref_rms_norm(r, w, T, D, 1e-5))) <= 1e-6);
}

TEST_CASE("add_rms_norm: rejects out aliasing the residual", "[ops]") {
  std::vector<float> r(8), w(4);
  ops::AddRmsNormParams p;
  p.n_rows = 2, p.n_cols = 4, p.residual = r.data(), p.weight = w.data(), p.out = r.data();
  CHECK_THROWS_AS(ops::add_rms_norm(p), InternalError);
}
