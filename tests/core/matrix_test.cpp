#include <catch2/catch.hpp>

#include "core/error.h"
#include "core/matrix.h"

using genomamba::core::Matrix;

TEST_CASE("Matrix: a default matrix is empty", "[core]") {
  const Matrix m;
  CHECK(m.rows() == 0);
  CHECK(m.cols() == 0);
  CHECK(m.empty());
  CHECK(m.span().empty());
}

TEST_CASE("Matrix: is zero-filled and row-major", "[core]") {
  Matrix m(2, 3);  // m: [2, 3]
  CHECK(m.rows() == 2);
  CHECK(m.cols() == 3);
  CHECK(m.size() == 6);
  CHECK_FALSE(m.empty());
  for (float v : m.span()) CHECK(v == 0.0f);
  m.at(1, 2) = 5.0f;
  m.row(0)[1] = 3.0f;
  CHECK(m.data()[5] == 5.0f);
  CHECK(m.data()[1] == 3.0f);
  const Matrix& c = m;
  CHECK(c.at(1, 2) == 5.0f);
  CHECK(c.row(1)[2] == 5.0f);
  CHECK(c.span().size() == 6);
}

TEST_CASE("Matrix: zero rows or columns are allowed, negative ones are not", "[core]") {
  CHECK(Matrix(0, 4).empty());
  CHECK(Matrix(4, 0).size() == 0);
  REQUIRE_THROWS_AS(Matrix(-1, 2), genomamba::InternalError);
}
