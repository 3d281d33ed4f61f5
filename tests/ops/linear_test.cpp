#include <catch2/catch.hpp>

#include "core/error.h"
#include "core/threads.h"
#include "ops/linear.h"
#include "support/reference.h"
#include "support/tensor_compare.h"

using namespace genomamba;
using test::random_floats;

namespace {

// Copies the valid [T, O] block out of a strided y.
std::vector<float> unstride(const std::vector<float>& y, int64_t T, int64_t O, int64_t stride) {
  std::vector<float> v(static_cast<size_t>(T * O));
  for (int64_t t = 0; t < T; ++t)
    for (int64_t o = 0; o < O; ++o) v[t * O + o] = y[t * stride + o];
  return v;
}

}  // namespace

TEST_CASE("linear: matches the naive float64 product with row strides", "[ops]") {
  const int64_t T = 37, I = 50, O = 23, xs = 53, ys = 29;
  const auto x_dense = random_floats(T * I, 1);
  const auto w = random_floats(O * I, 2);
  std::vector<float> x(static_cast<size_t>(T * xs), 99.0f);  // padding must be ignored
  for (int64_t t = 0; t < T; ++t)
    for (int64_t i = 0; i < I; ++i) x[t * xs + i] = x_dense[t * I + i];
  std::vector<float> y(static_cast<size_t>(T * ys), -7.0f);

  ops::LinearParams p;
  p.n_rows = T, p.in_features = I, p.out_features = O;
  p.x = x.data(), p.x_stride = xs, p.weight = w.data(), p.y = y.data(), p.y_stride = ys;
  ops::linear(p);

  const auto ref = test::to_float(test::ref_linear(x_dense, w, T, I, O));
  CHECK(test::relative_error(unstride(y, T, O, ys), ref) <= 1e-6);
  for (int64_t t = 0; t < T; ++t) CHECK(y[t * ys + O] == -7.0f);  // stride padding untouched
}

TEST_CASE("linear: accumulate adds x W^T to y", "[ops]") {
  const int64_t T = 19, I = 33, O = 12;
  const auto x = random_floats(T * I, 3);
  const auto w = random_floats(O * I, 4);
  const auto y0 = random_floats(T * O, 5);
  auto y = y0;
  ops::LinearParams p;
  p.n_rows = T, p.in_features = I, p.out_features = O;
  p.x = x.data(), p.x_stride = I, p.weight = w.data(), p.y = y.data(), p.y_stride = O, p.accumulate = true;
  ops::linear(p);
  auto ref = test::ref_linear(x, w, T, I, O);
  for (size_t i = 0; i < ref.size(); ++i) ref[i] += y0[i];
  CHECK(test::relative_error(y, test::to_float(ref)) <= 1e-6);
}

TEST_CASE("linear: zero rows is a no-op and bad strides are rejected", "[ops]") {
  std::vector<float> x(8), w(8), y(8, 1.0f);
  ops::LinearParams p;
  p.n_rows = 0, p.in_features = 4, p.out_features = 2;
  p.x = x.data(), p.x_stride = 4, p.weight = w.data(), p.y = y.data(), p.y_stride = 2;
  ops::linear(p);
  CHECK(y[0] == 1.0f);
  p.n_rows = 2;
  p.x_stride = 3;
  CHECK_THROWS_AS(ops::linear(p), InternalError);
  p.x_stride = 4;
  p.y_stride = 1;
  CHECK_THROWS_AS(ops::linear(p), InternalError);
}

TEST_CASE("linear: 1 and 2 threads give bit-identical results", "[ops]") {
  // (T, I, O, x_stride, accumulate): in_proj, out_proj, x_proj, dt_proj (reading the dt columns of x_dbl),
  // each with a partial last row block.
  const auto shape = GENERATE(table<int64_t, int64_t, int64_t, int64_t, bool>({{777, 256, 1024, 256, false},
                                                                               {1029, 512, 256, 512, true},
                                                                               {2061, 512, 48, 512, false},
                                                                               {1300, 16, 512, 48, false}}));
  const auto [T, I, O, xs, accumulate] = shape;
  INFO("T " << T << " I " << I << " O " << O);
  const auto x = random_floats(T * xs, 31);
  const auto w = random_floats(O * I, 32);
  const auto y0 = random_floats(T * O, 33);
  const int saved = core::num_threads();
  auto run = [&](int threads) {
    core::set_num_threads(threads);
    auto y = y0;
    ops::LinearParams p;
    p.n_rows = T, p.in_features = I, p.out_features = O;
    p.x = x.data(), p.x_stride = xs, p.weight = w.data(), p.y = y.data(), p.y_stride = O, p.accumulate = accumulate;
    ops::linear(p);
    return y;
  };
  const auto one = run(1);
  const auto two = run(2);
  core::set_num_threads(saved);
  CHECK(one == two);  // bit-identical, not merely close

  std::vector<float> x_dense(static_cast<size_t>(T * I));
  for (int64_t t = 0; t < T; ++t)
    for (int64_t i = 0; i < I; ++i) x_dense[t * I + i] = x[t * xs + i];
  auto ref = test::ref_linear(x_dense, w, T, I, O);
  if (accumulate)
    for (size_t i = 0; i < ref.size(); ++i) ref[i] += y0[i];
  CHECK(test::relative_error(two, test::to_float(ref)) <= 1e-6);
}
