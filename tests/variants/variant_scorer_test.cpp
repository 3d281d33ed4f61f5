#include "variants/variant_scorer.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "support/model_fixtures.h"
#include "tokenize/dna_tokenizer.h"

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

// The masked passes of different variants share a batch: each sequence's log-probabilities are the ones it
// gets alone, to the last bit, so scores do not depend on which variants share a batch.
TEST_CASE("VariantScorer::log_probs_batch: each sequence's result is the one it gets alone", "[variants]") {
  for (const std::string name : {"ph_tiny", "ps_tiny"}) {
    for (genomamba::model::Strand strand : {genomamba::model::Strand::FWD, genomamba::model::Strand::BOTH}) {
      INFO(name << " strand " << (strand == genomamba::model::Strand::BOTH ? "both" : "fwd"));
      const auto model = genomamba::model::Caduceus::load(genomamba::test::model_dir(name));
      genomamba::model::RunSettings run;
      run.tile = 16;
      const genomamba::variants::VariantScorer scorer(model, strand, run);
      const int64_t B = 3, L = 37;
      std::vector<int32_t> ids;
      for (int64_t i = 0; i < B * L; ++i) ids.push_back(static_cast<int32_t>(7 + (i * 7 + i / 5) % 4));
      ids[L + 4] = genomamba::tokenize::kMaskId;  // a masked position in the second sequence
      const std::vector<genomamba::core::Matrix> batched = scorer.log_probs_batch(ids, B);
      REQUIRE(batched.size() == static_cast<size_t>(B));
      for (int64_t b = 0; b < B; ++b) {
        const genomamba::core::Matrix alone =
            scorer.log_probs(std::span<const int32_t>(ids).subspan(static_cast<size_t>(b * L), L));
        const auto got = batched[static_cast<size_t>(b)].span();
        CHECK(std::equal(got.begin(), got.end(), alone.span().begin(), alone.span().end()));
      }
    }
  }
}
