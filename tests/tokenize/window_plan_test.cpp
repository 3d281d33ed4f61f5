#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "core/error.h"
#include "tokenize/window_plan.h"

using genomamba::ConfigError;
using genomamba::InternalError;
using genomamba::tokenize::WindowPlan;
using genomamba::tokenize::WindowSpan;
using Spans = std::vector<WindowSpan>;

namespace {

// The rule written out literally: starts 0, S, 2S, ... while start + W < L, then [L - W, L).
Spans naive(int64_t length, int64_t window, int64_t stride) {
  if (length == 0) return {};
  if (length <= window) return {{0, length}};
  Spans spans;
  for (int64_t start = 0; start + window < length; start += stride) spans.push_back({start, start + window});
  if (spans.back().begin != length - window) spans.push_back({length - window, length});
  return spans;
}

}  // namespace

TEST_CASE("window_plan: a record shorter than the window is one window of its own length", "[tokenize]") {
  const WindowPlan plan(100, 100);
  CHECK(plan.count(37) == 1);
  CHECK(plan.windows(37) == Spans{{0, 37}});
  CHECK(plan.windows(1) == Spans{{0, 1}});
}

TEST_CASE("window_plan: a record of exactly the window length is one window", "[tokenize]") {
  CHECK(WindowPlan(100, 100).windows(100) == Spans{{0, 100}});
  CHECK(WindowPlan(100, 10).windows(100) == Spans{{0, 100}});
}

TEST_CASE("window_plan: an exact multiple of the window tiles without a duplicate last window", "[tokenize]") {
  const WindowPlan plan(100, 100);
  CHECK(plan.count(300) == 3);
  CHECK(plan.windows(300) == Spans{{0, 100}, {100, 200}, {200, 300}});
}

TEST_CASE("window_plan: shifts the last window left to keep length W", "[tokenize]") {
  const WindowPlan plan(100, 100);
  CHECK(plan.windows(250) == Spans{{0, 100}, {100, 200}, {150, 250}});
  CHECK(plan.windows(101) == Spans{{0, 100}, {1, 101}});
}

TEST_CASE("window_plan: a stride below the window overlaps windows", "[tokenize]") {
  const WindowPlan plan(4, 2);
  CHECK(plan.windows(10) == Spans{{0, 4}, {2, 6}, {4, 8}, {6, 10}});
  CHECK(plan.windows(11) == Spans{{0, 4}, {2, 6}, {4, 8}, {6, 10}, {7, 11}});
}

TEST_CASE("window_plan: a stride above the window leaves gaps but still ends at the record's end", "[tokenize]") {
  CHECK(WindowPlan(2, 5).windows(13) == Spans{{0, 2}, {5, 7}, {10, 12}, {11, 13}});
}

TEST_CASE("window_plan: an empty record has no windows", "[tokenize]") {
  const WindowPlan plan(8, 4);
  CHECK(plan.count(0) == 0);
  CHECK(plan.windows(0).empty());
}

TEST_CASE("window_plan: count and at agree with the rule for every small case", "[tokenize]") {
  for (int64_t window = 1; window <= 7; ++window) {
    for (int64_t stride = 1; stride <= 9; ++stride) {
      const WindowPlan plan(window, stride);
      for (int64_t length = 0; length <= 40; ++length) {
        CAPTURE(window, stride, length);
        const Spans expected = naive(length, window, stride);
        REQUIRE(plan.count(length) == static_cast<int64_t>(expected.size()));
        REQUIRE(plan.windows(length) == expected);
        for (const WindowSpan& span : expected) {
          CHECK(span.length() == std::min(length, window));
        }
      }
    }
  }
}

TEST_CASE("window_plan: a large record is planned without listing its windows", "[tokenize]") {
  const WindowPlan plan(131072, 131072);
  const int64_t length = 248'956'422;  // GRCh38 chr1
  const int64_t n = plan.count(length);
  CHECK(n == 1900);
  CHECK(plan.at(length, 0) == WindowSpan{0, 131072});
  CHECK(plan.at(length, n - 2) == WindowSpan{(n - 2) * 131072, (n - 1) * 131072});
  CHECK(plan.at(length, n - 1) == WindowSpan{length - 131072, length});
}

TEST_CASE("window_plan: bad window, stride or index", "[tokenize]") {
  CHECK_THROWS_AS(WindowPlan(0, 1), ConfigError);
  CHECK_THROWS_WITH(WindowPlan(0, 1), Catch::Contains("--window"));
  CHECK_THROWS_WITH(WindowPlan(5, 0), Catch::Contains("--stride"));
  const WindowPlan plan(4, 4);
  CHECK_THROWS_AS(plan.at(10, 3), InternalError);
  CHECK_THROWS_AS(plan.at(0, 0), InternalError);
}
