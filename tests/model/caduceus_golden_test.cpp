#include <catch2/catch.hpp>

#include <string>

#include "io/safetensors.h"
#include "model/caduceus.h"
#include "model/strand.h"
#include "support/model_fixtures.h"
#include "support/tensor_compare.h"
#include "tokenize/dna_tokenizer.h"

using namespace genomamba;

namespace {

// design §5 allows 1e-4 between the fp32 engine and the float64 reference; the engine achieves 2.1e-7 on
// these fixtures (worst tensor, portable, AVX2 and AVX-512 alike; measured 2026-12-06). 1e-6 keeps a 5x margin
// for other compilers while failing on real bugs that 1e-4 let through (an RMSNorm epsilon off by 10x).
constexpr double kTolerance = 1e-6;  // design §5: fp32 engine vs the float64 reference

/// Shape and relative error of an engine output against a golden tensor.
void check_close(const core::Matrix& out, const io::SafetensorsFile& golden, const std::string& name) {
  INFO("tensor " << name);
  const io::TensorView& ref = golden.at(name);
  REQUIRE(ref.shape == std::vector<int64_t>{out.rows(), out.cols()});
  const std::vector<float> values = ref.to_f32();
  const double err = test::relative_error(out.span(), values);
  INFO("relative error " << err);
  CHECK(err <= kTolerance);
}

/// The fixture's input ids, checked against the tokenizer.
std::vector<int32_t> golden_ids(const io::SafetensorsFile& golden) {
  const std::vector<int32_t> ids = tokenize::encode(golden.metadata().at("sequence"));
  const std::vector<int64_t> stored = golden.at("input_ids").to_i64();
  CHECK(std::vector<int64_t>(ids.begin(), ids.end()) == stored);
  return ids;
}

}  // namespace

TEST_CASE("Caduceus: matches the float64 reference on every golden fixture", "[model][golden]") {
  for (const std::string& name : test::model_fixture_names()) {
    INFO("fixture " << name);
    const io::SafetensorsFile golden(test::golden_path(name));
    const model::Caduceus model = model::Caduceus::load(test::model_dir(name));
    const std::vector<int32_t> ids = golden_ids(golden);

    model::ForwardOptions options;
    options.tile = 37;  // several tiles, the last one partial
    options.want_logits = true;
    for (int k = 0; k <= model.config().n_layer; ++k) options.capture_layers.push_back(k);
    const model::ForwardResult res = model.forward(ids, options);

    for (int k = 0; k <= model.config().n_layer; ++k)
      check_close(res.layer_hidden.at(k), golden, "hidden_states." + std::to_string(k));
    check_close(res.final_hidden, golden, "last_hidden_state");
    check_close(res.logits, golden, "logits");
  }
}

TEST_CASE("run_with_strand: matches the float64 reference on every golden fixture", "[model][golden]") {
  for (const std::string& name : test::model_fixture_names()) {
    INFO("fixture " << name);
    const io::SafetensorsFile golden(test::golden_path(name));
    const model::Caduceus model = model::Caduceus::load(test::model_dir(name));
    const std::vector<int32_t> ids = golden_ids(golden);

    model::StrandRequest both;
    both.strand = model::Strand::BOTH;
    both.run.tile = 50;
    both.want_logits = true;
    const model::StrandResult b = model::run_with_strand(model, ids, both);
    check_close(b.hidden, golden, "strand_both.hidden");
    check_close(b.logits, golden, "strand_both.logits");

    both.layer = 1;
    both.want_logits = false;
    const model::StrandResult b1 = model::run_with_strand(model, ids, both);
    check_close(b1.hidden, golden, "strand_both.layer1.hidden");
    CHECK(b1.logits.empty());

    model::StrandRequest fwd;
    fwd.strand = model::Strand::FWD;
    fwd.want_logits = true;
    const model::StrandResult f = model::run_with_strand(model, ids, fwd);
    check_close(f.hidden, golden, "last_hidden_state");
    check_close(f.logits, golden, "fwd.logits_acgt");
  }
}
