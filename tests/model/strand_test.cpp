#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <span>

#include "model/strand.h"
#include "support/model_fixtures.h"
#include "support/tensor_compare.h"
#include "tokenize/dna_tokenizer.h"

using namespace genomamba;

namespace {

std::vector<int32_t> random_acgt(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pick(0, 3);
  std::vector<int32_t> ids(static_cast<size_t>(n));
  for (auto& id : ids) id = tokenize::kNucleotideIds[pick(rng)];
  return ids;
}

model::StrandRequest request(model::Strand strand, std::optional<int> layer = {}) {
  model::StrandRequest r;
  r.strand = strand;
  r.run.tile = 23;
  r.layer = layer;
  r.want_logits = !layer.has_value();
  return r;
}

}  // namespace

TEST_CASE("run_with_strand: both is consistent between a sequence and its reverse complement", "[model]") {
  for (const std::string name : {"ph_tiny", "ps_tiny"}) {
    INFO("fixture " << name);
    const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
    const std::vector<int32_t> ids = random_acgt(77, 5);
    const auto rc = tokenize::reverse_complement_ids(ids, m.config().complement_map);
    for (std::optional<int> layer : {std::optional<int>{}, std::optional<int>{1}}) {
      const model::StrandResult a = model::run_with_strand(m, ids, request(model::Strand::BOTH, layer));
      const model::StrandResult b = model::run_with_strand(m, rc, request(model::Strand::BOTH, layer));
      const int64_t L = a.hidden.rows(), D = a.hidden.cols();
      REQUIRE(D == m.config().d_model);
      core::Matrix flipped(L, D);  // both(rc x)[l] = both(x)[L-1-l]
      for (int64_t l = 0; l < L; ++l)
        for (int64_t c = 0; c < D; ++c) flipped.at(l, c) = a.hidden.at(L - 1 - l, c);
      CHECK(test::relative_error(b.hidden.span(), flipped.span()) <= 1e-5);
      if (!layer) {
        core::Matrix permuted(L, 4);  // logits: position flipped, A<->T and C<->G
        for (int64_t l = 0; l < L; ++l)
          for (int j = 0; j < 4; ++j) permuted.at(l, j) = a.logits.at(L - 1 - l, 3 - j);
        CHECK(test::relative_error(b.logits.span(), permuted.span()) <= 1e-5);
      }
    }
  }
}

TEST_CASE("run_with_strand: fwd returns the model's own outputs", "[model]") {
  for (const std::string name : {"ph_tiny", "ps_tiny"}) {
    INFO("fixture " << name);
    const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
    const std::vector<int32_t> ids = random_acgt(40, 6);
    model::ForwardOptions o;
    o.tile = 23, o.want_logits = true, o.capture_layers = {1};
    const model::ForwardResult full = m.forward(ids, o);

    const model::StrandResult f = model::run_with_strand(m, ids, request(model::Strand::FWD));
    CHECK(f.hidden.cols() == m.hidden_width());
    CHECK(test::max_abs_diff(f.hidden.span(), full.final_hidden.span()) == 0.0);
    REQUIRE(f.logits.cols() == 4);
    for (int64_t l = 0; l < f.logits.rows(); ++l)
      for (int j = 0; j < 4; ++j) CHECK(f.logits.at(l, j) == full.logits.at(l, tokenize::kNucleotideIds[j]));

    const model::StrandResult f1 = model::run_with_strand(m, ids, request(model::Strand::FWD, 1));
    CHECK(test::max_abs_diff(f1.hidden.span(), full.layer_hidden.at(1).span()) == 0.0);
    CHECK(f1.logits.empty());
  }
}

TEST_CASE("run_with_strand: PS both averages a with the channel-reversed b", "[model]") {
  const model::Caduceus m = model::Caduceus::load(test::model_dir("ps_odd"));
  const std::vector<int32_t> ids = random_acgt(33, 7);
  const model::StrandResult f = model::run_with_strand(m, ids, request(model::Strand::FWD));
  const model::StrandResult b = model::run_with_strand(m, ids, request(model::Strand::BOTH));
  const int64_t D = m.config().d_model;
  REQUIRE(b.hidden.cols() == D);
  for (int64_t l = 0; l < b.hidden.rows(); ++l)
    for (int64_t c = 0; c < D; ++c)
      CHECK(b.hidden.at(l, c) == Approx(0.5f * (f.hidden.at(l, c) + f.hidden.at(l, 2 * D - 1 - c))).margin(1e-7));
  CHECK(test::max_abs_diff(b.logits.span(), f.logits.span()) == 0.0);
}

TEST_CASE("run_with_strand: an empty sequence gives empty outputs of the right width", "[model]") {
  for (const std::string name : {"ph_tiny", "ps_tiny"}) {
    const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
    const model::StrandResult b = model::run_with_strand(m, {}, request(model::Strand::BOTH));
    CHECK(b.hidden.rows() == 0);
    CHECK(b.hidden.cols() == m.config().d_model);
    CHECK(b.logits.rows() == 0);
  }
}

TEST_CASE("run_with_strand_batch: each sequence's result is the one it gets alone, to the last bit", "[model]") {
  for (const std::string name : {"ph_tiny", "ps_tiny"}) {
    for (model::Strand strand : {model::Strand::FWD, model::Strand::BOTH}) {
      INFO("fixture " << name << " strand " << (strand == model::Strand::BOTH ? "both" : "fwd"));
      const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
      const int64_t B = 3, L = 41;
      std::vector<int32_t> ids;
      for (int64_t b = 0; b < B; ++b) {
        const auto one = random_acgt(L, static_cast<uint32_t>(20 + b));
        ids.insert(ids.end(), one.begin(), one.end());
      }
      const auto batched = model::run_with_strand_batch(m, ids, B, request(strand));
      REQUIRE(batched.size() == static_cast<size_t>(B));
      for (int64_t b = 0; b < B; ++b) {
        const model::StrandResult alone =
            model::run_with_strand(m, std::span<const int32_t>(ids).subspan(static_cast<size_t>(b * L), L), request(strand));
        const model::StrandResult& got = batched[static_cast<size_t>(b)];
        CHECK(std::equal(got.hidden.span().begin(), got.hidden.span().end(), alone.hidden.span().begin(),
                         alone.hidden.span().end()));
        CHECK(std::equal(got.logits.span().begin(), got.logits.span().end(), alone.logits.span().begin(),
                         alone.logits.span().end()));
      }
    }
  }
}
