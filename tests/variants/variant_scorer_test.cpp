#include "variants/variant_scorer.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using Catch::WithinAbs;
using genomamba::variants::cosine_distance;
using genomamba::variants::l2_distance;
using genomamba::variants::marginal_llr;
using genomamba::variants::nucleotide_column;
using genomamba::variants::round_significant;

TEST_CASE("round_significant: 6 significant digits, what %g prints", "[variants]") {
  CHECK(round_significant(0.1234567891) == 0.123457f);
  CHECK(round_significant(-3.2500049e-05) == -3.25e-05f);
  CHECK(round_significant(123456789.0) == 123457000.0f);
  CHECK(round_significant(0.0) == 0.0f);
  CHECK(std::isnan(round_significant(std::nan(""))));
  char text[32];
  for (double x : {0.987654321, -12.3456789, 1e-7 / 3, 7.0 / 3}) {
    std::snprintf(text, sizeof text, "%g", static_cast<double>(round_significant(x)));
    const float back = std::strtof(text, nullptr);
    CHECK(back == round_significant(x));  // the printed text reads back as the same float
  }
}

TEST_CASE("marginal_llr: sum of log p(alt) - log p(ref) over the positions", "[variants]") {
  genomamba::core::Matrix lp(3, 4);
  for (int64_t l = 0; l < 3; ++l)
    for (int64_t c = 0; c < 4; ++c) lp.at(l, c) = -0.5f * static_cast<float>(c + 1) - static_cast<float>(l);
  const std::vector<int64_t> positions = {0, 2};
  // position 0: A -> T: -2.0 - (-0.5); position 2: g -> c: -3.0 - (-4.5)
  CHECK_THAT(marginal_llr(lp, positions, "Ag", "Tc"), WithinAbs(-1.5 + 0.5, 1e-6));
  CHECK(nucleotide_column('t') == 3);
  CHECK(nucleotide_column('N') == -1);
}

TEST_CASE("cosine_distance and l2_distance", "[variants]") {
  const std::vector<double> u = {1, 0, 0}, v = {0, 2, 0}, w = {2, 0, 0}, zero = {0, 0, 0};
  CHECK_THAT(cosine_distance(u, v), WithinAbs(1.0, 1e-12));
  CHECK_THAT(cosine_distance(u, w), WithinAbs(0.0, 1e-12));
  CHECK(std::isnan(cosine_distance(u, zero)));
  CHECK_THAT(l2_distance(u, v), WithinAbs(std::sqrt(5.0), 1e-12));
  const std::vector<double> a = {0.3, -1.7, 2.9}, opposite = {-0.6, 3.4, -5.8};
  CHECK_THAT(cosine_distance(a, opposite), WithinAbs(2.0, 1e-12));
}

TEST_CASE("cosine_distance: exactly 0 when ALT's embedding equals REF's", "[variants]") {
  // 1 - u.v / (|u| |v|) leaves ~1e-16 here; users test emb_cos == 0 for "no change".
  // With these values 1 - u.u / |u|^2 is 1.1e-16 in double precision.
  const std::vector<double> u = {0.09470803828730423,  1.2500243810835503,  -0.931378367720707, 0.9923772805192402,
                                 -0.25915453769343405, -0.26151098398117395, 1.8997252784647571, 0.1575370716337192,
                                 -0.042924253792244314, 0.7294984864356091};
  CHECK(cosine_distance(u, u) == 0.0);
  std::vector<double> scaled = u;
  for (double& x : scaled) x *= 2.0;
  CHECK_THAT(cosine_distance(u, scaled), WithinAbs(0.0, 1e-15));
}
