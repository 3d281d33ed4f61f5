#include "variants/score_window.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>
#include <string>

using genomamba::variants::alt_window;
using genomamba::variants::AltWindow;
using genomamba::variants::centred_window;
using genomamba::variants::grid_window;
using genomamba::variants::Span;

TEST_CASE("centred_window: centred, shifted at contig ends, whole contig when short", "[variants]") {
  CHECK(centred_window(1000, 101, 500, 1) == Span{450, 101});  // 50 bases on each side
  CHECK(centred_window(1000, 100, 500, 1) == Span{450, 100});  // even: 50 left, 49 right
  CHECK(centred_window(1000, 101, 500, 3) == Span{451, 101});  // centre of a 3-base REF is its middle base
  CHECK(centred_window(1000, 101, 0, 1) == Span{0, 101});
  CHECK(centred_window(1000, 101, 999, 1) == Span{899, 101});
  CHECK(centred_window(80, 101, 40, 1) == Span{0, 80});
  CHECK(centred_window(101, 101, 7, 1) == Span{0, 101});
}

TEST_CASE("grid_window: the nearest grid window, ties to the left, the last one shifted", "[variants]") {
  // W = 100, step 50, n = 1000: starts 0, 50, …, 900; middles 50, 100, …, 950.
  CHECK(grid_window(1000, 100, 0, 1) == Span{0, 100});
  CHECK(grid_window(1000, 100, 74, 1) == Span{0, 100});    // |50-74| = 24 < |100-74| = 26
  CHECK(grid_window(1000, 100, 75, 1) == Span{0, 100});    // tie: the left one
  CHECK(grid_window(1000, 100, 76, 1) == Span{50, 100});
  CHECK(grid_window(1000, 100, 999, 1) == Span{900, 100});
  // n = 1030: the last window is shifted to start at 930.
  CHECK(grid_window(1030, 100, 1029, 1) == Span{930, 100});
  CHECK(grid_window(60, 100, 30, 1) == Span{0, 60});
  // Brute force: the chosen window is the nearest of all grid windows, and contains the variant.
  std::mt19937 rng(7);
  for (int trial = 0; trial < 2000; ++trial) {
    const int64_t n = 50 + static_cast<int64_t>(rng() % 3000), w = 1 + static_cast<int64_t>(rng() % 400);
    const int64_t pos = static_cast<int64_t>(rng() % static_cast<uint32_t>(n));
    const Span got = grid_window(n, w, pos, 1);
    if (n <= w) {
      CHECK(got == Span{0, n});
      continue;
    }
    const int64_t step = std::max<int64_t>(1, w / 2);
    int64_t best = -1, best_distance = 0;
    for (int64_t k = 0;; ++k) {
      const int64_t start = std::min(k * step, n - w);
      const int64_t distance = std::llabs(start + w / 2 - pos);
      if (best < 0 || distance < best_distance) {
        best = start;
        best_distance = distance;
      }
      if (start == n - w) break;
    }
    INFO("n " << n << " w " << w << " pos " << pos);
    REQUIRE(got == Span{best, w});
    CHECK((pos >= got.start && pos < got.end()));
  }
}

TEST_CASE("alt_window: equal length, flank from the far side, shifted at the contig end", "[variants]") {
  // The ALT window's bases, against a brute-force build of the alternative contig.
  std::mt19937 rng(11);
  for (int trial = 0; trial < 3000; ++trial) {
    const int64_t n = 20 + static_cast<int64_t>(rng() % 300), w = 1 + static_cast<int64_t>(rng() % 120);
    const int64_t r = 1 + static_cast<int64_t>(rng() % 8), a = 1 + static_cast<int64_t>(rng() % 12);
    if (r > n) continue;
    const int64_t pos = static_cast<int64_t>(rng() % static_cast<uint32_t>(n - r + 1));
    std::string contig, alt;
    for (int64_t i = 0; i < n; ++i) contig += "ACGT"[rng() % 4];
    for (int64_t i = 0; i < a; ++i) alt += "acgt"[rng() % 4];
    const Span ref = centred_window(n, w, pos, r);
    const std::string alt_contig = contig.substr(0, static_cast<size_t>(pos)) + alt + contig.substr(static_cast<size_t>(pos + r));
    const auto m = static_cast<int64_t>(alt_contig.size());
    const int64_t length = std::min(ref.length, m);
    const int64_t start = std::min(ref.start, m - length);
    const std::string expected = alt_contig.substr(static_cast<size_t>(start), static_cast<size_t>(length));
    const AltWindow got = alt_window(n, ref, pos, r, a);
    const std::string bases = contig.substr(static_cast<size_t>(got.left.start), static_cast<size_t>(got.left.length)) +
                              alt.substr(static_cast<size_t>(got.alt_begin), static_cast<size_t>(got.alt_end - got.alt_begin)) +
                              contig.substr(static_cast<size_t>(got.right.start), static_cast<size_t>(got.right.length));
    INFO("n " << n << " w " << w << " pos " << pos << " r " << r << " a " << a);
    REQUIRE(bases == expected);
    CHECK(got.length() == length);
  }
  // A deletion in the middle takes more flank on the right: REF window [450, 551), ALT window the same start.
  const AltWindow del = alt_window(1000, Span{450, 101}, 500, 6, 1);
  CHECK(del.left == Span{450, 50});
  CHECK((del.alt_begin == 0 && del.alt_end == 1));
  CHECK(del.right == Span{506, 50});
}
