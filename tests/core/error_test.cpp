#include <catch2/catch.hpp>

#include <stdexcept>

#include "core/error.h"

using namespace genomamba;

TEST_CASE("exit_code_for: input and config errors exit 1, the rest 3", "[core]") {
  CHECK(exit_code_for(InputError("x")) == 1);
  CHECK(exit_code_for(ConfigError("x")) == 1);
  CHECK(exit_code_for(DeviceError("x")) == 3);
  CHECK(exit_code_for(InternalError("x")) == 3);
  CHECK(exit_code_for(Error("x")) == 3);
  CHECK(exit_code_for(std::runtime_error("x")) == 3);
  CHECK(exit_code_for(std::bad_alloc()) == 3);
}

TEST_CASE("Error: every genomamba error derives from Error and std::runtime_error", "[core]") {
  REQUIRE_THROWS_AS(throw InputError("bad"), Error);
  REQUIRE_THROWS_AS(throw ConfigError("bad"), std::runtime_error);
  REQUIRE_THROWS_WITH(throw DeviceError("cuda failed"), "cuda failed");
}

TEST_CASE("GM_CHECK: throws InternalError naming the condition", "[core]") {
  // GM_CHECK is a statement, so each use is wrapped in a lambda.
  const int rows = -1;
  REQUIRE_NOTHROW([&] { GM_CHECK(rows < 0, "unused"); }());
  REQUIRE_THROWS_AS([&] { GM_CHECK(rows >= 0, "rows must be non-negative"); }(), InternalError);
  REQUIRE_THROWS_WITH([&] { GM_CHECK(rows >= 0, "rows must be non-negative"); }(),
                      Catch::Contains("check 'rows >= 0' failed: rows must be non-negative") &&
                          Catch::Contains("error_test.cpp:"));
}
