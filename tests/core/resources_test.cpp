#include <catch2/catch.hpp>

#include <vector>

#include "core/resources.h"

using namespace genomamba::core;

TEST_CASE("resources: peak RSS is positive and does not shrink", "[core]") {
  const int64_t before = peak_rss_bytes();
  CHECK(before > 0);
  std::vector<char> block(32 << 20, 1);  // touch 32 MiB
  CHECK(block.back() == 1);
  CHECK(peak_rss_bytes() >= before);
}

TEST_CASE("resources: CPU and wall clocks advance", "[core]") {
  const double wall0 = wall_seconds();
  const double cpu0 = cpu_seconds();
  CHECK(cpu0 >= 0.0);
  volatile double sink = 0.0;
  for (int i = 0; i < 2000000; ++i) sink = sink + i * 0.5;
  CHECK(wall_seconds() >= wall0);
  CHECK(cpu_seconds() >= cpu0);
}
