#include <catch2/catch.hpp>

#include <random>

#include "core/error.h"
#include "core/threads.h"
#include "model/caduceus.h"
#include "forward_compare.h"
#include "support/model_fixtures.h"
#include "support/tensor_compare.h"
#include "tokenize/dna_tokenizer.h"

using namespace genomamba;
using test::all_outputs;
using test::max_relative;
using test::random_ids;

TEST_CASE("Caduceus-PS: hidden states and logits are RC-equivariant", "[model]") {
  for (const std::string name : {"ps_tiny", "ps_odd"}) {
    INFO("fixture " << name);
    const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
    const auto& comp = m.config().complement_map;
    const std::vector<int32_t> ids = random_ids(131, 42);
    const std::vector<int32_t> rc = tokenize::reverse_complement_ids(ids, comp);
    const model::ForwardResult a = m.forward(ids, all_outputs(m, 32));
    const model::ForwardResult b = m.forward(rc, all_outputs(m, 32));
    const int64_t L = static_cast<int64_t>(ids.size()), W = m.hidden_width(), V = m.config().vocab_size;

    // hidden(rc(ids)) = RC_2D(hidden(ids)): reverse positions and all 2D channels
    auto rc_matrix = [&](const core::Matrix& h) {
      core::Matrix out(L, W);
      for (int64_t l = 0; l < L; ++l)
        for (int64_t c = 0; c < W; ++c) out.at(l, c) = h.at(L - 1 - l, W - 1 - c);
      return out;
    };
    CHECK(test::relative_error(b.final_hidden.span(), rc_matrix(a.final_hidden).span()) <= 1e-5);
    for (const auto& [k, h] : a.layer_hidden) {
      INFO("hidden_states[" << k << "]");
      CHECK(test::relative_error(b.layer_hidden.at(k).span(), rc_matrix(h).span()) <= 1e-5);
    }
    // logits(rc(ids))[l, v] = logits(ids)[L-1-l, comp v]
    core::Matrix expected(L, V);
    for (int64_t l = 0; l < L; ++l)
      for (int64_t v = 0; v < V; ++v) expected.at(l, v) = a.logits.at(L - 1 - l, comp[static_cast<size_t>(v)]);
    CHECK(test::relative_error(b.logits.span(), expected.span()) <= 1e-5);
  }
}

TEST_CASE("Caduceus: results do not depend on the tile size", "[model]") {
  for (const std::string name : {"ph_odd", "ps_odd"}) {
    INFO("fixture " << name);
    const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
    const std::vector<int32_t> ids = random_ids(150, 7);
    const model::ForwardResult whole = m.forward(ids, all_outputs(m, 150));
    for (int64_t tile : {int64_t{1}, int64_t{7}, int64_t{64}, int64_t{4096}}) {
      INFO("tile " << tile);
      CHECK(max_relative(m.forward(ids, all_outputs(m, tile)), whole) <= 1e-6);
    }
  }
}

TEST_CASE("Caduceus: the streaming memory mode equals the whole-sequence mode", "[model]") {
  for (const std::string name : {"ph_tiny", "ps_odd", "ph_odd"}) {
    INFO("fixture " << name);
    const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
    const std::vector<int32_t> ids = random_ids(300, 9);
    model::ForwardOptions whole_options = all_outputs(m, 64);
    whole_options.memory = model::MemoryMode::WHOLE_SEQUENCE;
    const model::ForwardResult whole = m.forward(ids, whole_options);
    for (int64_t tile : {int64_t{1}, int64_t{37}, int64_t{300}}) {
      INFO("tile " << tile);
      model::ForwardOptions o = all_outputs(m, tile);
      o.memory = model::MemoryMode::STREAMING;
      CHECK(max_relative(m.forward(ids, o), whole) <= 1e-6);
    }
  }
}

// The sequence-parallel algorithm on one process (performance.md §3): every layer scans each direction as K
// chunks from zero state, composes the chunk summaries and corrects each chunk. Lengths not divisible by K, chunks
// shorter than d_conv (13 tokens in 8 chunks), tiles that cross chunk edges; PH and PS, and the trained model.
TEST_CASE("Caduceus: chunk composition equals the sequential forward", "[model]") {
  for (const std::string name : {"ph_tiny", "ph_odd", "ps_tiny", "ps_odd", "bacterial"}) {
    INFO("model " << name);
    const model::Caduceus m = model::Caduceus::load(
        name == "bacterial" ? test::source_path("data/models/caduceus-ph-bacterial-d192-l4") : test::model_dir(name));
    for (int64_t L : {int64_t{13}, int64_t{150}, int64_t{301}}) {
      const std::vector<int32_t> ids = random_ids(L, static_cast<uint32_t>(L));
      model::ForwardOptions o = all_outputs(m, 7);
      o.memory = model::MemoryMode::WHOLE_SEQUENCE;
      const model::ForwardResult sequential = m.forward(ids, o);
      for (int64_t chunks = 1; chunks <= 8; ++chunks) {
        INFO("L " << L << " chunks " << chunks);
        o.sequence_chunks = chunks;
        CHECK(max_relative(m.forward(ids, o), sequential) <= 1e-5);
      }
    }
  }
}

TEST_CASE("Caduceus: chunk composition needs the whole-sequence mode", "[model]") {
  const model::Caduceus m = model::Caduceus::load(test::model_dir("ph_tiny"));
  model::ForwardOptions o;
  o.sequence_chunks = 2;
  o.memory = model::MemoryMode::STREAMING;
  CHECK_THROWS_AS(m.forward(random_ids(20, 1), o), ConfigError);
  o.memory = model::MemoryMode::WHOLE_SEQUENCE;
  o.sequence_chunks = 0;
  CHECK_THROWS_AS(m.forward(random_ids(20, 1), o), ConfigError);
}

// Batched windows: B sequences of equal length through one forward give each sequence's own results (no
// padding, nothing shared between them but the weights), to the last bit: shards and resumed jobs batch the
// same window differently and must still agree exactly.
TEST_CASE("Caduceus: a batch of sequences equals one sequence at a time", "[model]") {
  for (const std::string name : {"ph_odd", "ps_odd", "ps_tiny"}) {
    for (model::MemoryMode memory : {model::MemoryMode::WHOLE_SEQUENCE, model::MemoryMode::STREAMING}) {
      INFO("fixture " << name << " streaming " << (memory == model::MemoryMode::STREAMING));
      const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
      const int64_t B = 4, L = 97;
      std::vector<int32_t> ids;
      for (int64_t b = 0; b < B; ++b) {
        const auto one = random_ids(L, static_cast<uint32_t>(100 + b));
        ids.insert(ids.end(), one.begin(), one.end());
      }
      model::ForwardOptions o = all_outputs(m, 16);
      o.memory = memory;
      const std::vector<model::ForwardResult> batched = m.forward_batch(ids, B, o);
      REQUIRE(batched.size() == static_cast<size_t>(B));
      for (int64_t b = 0; b < B; ++b) {
        INFO("sequence " << b);
        const std::span<const int32_t> one(ids.data() + b * L, static_cast<size_t>(L));
        CHECK(max_relative(batched[static_cast<size_t>(b)], m.forward(one, o)) == 0.0);
      }
    }
  }
}

TEST_CASE("Caduceus: results do not depend on the thread count", "[model]") {
  const int saved = core::num_threads();
  for (const std::string name : {"ph_tiny", "ps_odd"}) {
    INFO("fixture " << name);
    const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
    const std::vector<int32_t> ids = random_ids(300, 8);
    core::set_num_threads(1);
    const model::ForwardResult one = m.forward(ids, all_outputs(m, 64));
    core::set_num_threads(2);
    const model::ForwardResult two = m.forward(ids, all_outputs(m, 64));
    CHECK(max_relative(one, two) <= 1e-6);
  }
  core::set_num_threads(saved);
}

TEST_CASE("Caduceus: an empty sequence gives empty outputs", "[model]") {
  for (const std::string name : {"ph_tiny", "ps_tiny"}) {
    INFO("fixture " << name);
    const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
    const model::ForwardResult r = m.forward({}, all_outputs(m, 16));
    CHECK(r.final_hidden.rows() == 0);
    CHECK(r.final_hidden.cols() == m.hidden_width());
    CHECK(r.logits.rows() == 0);
    CHECK(r.layer_hidden.size() == 3);
  }
}

TEST_CASE("Caduceus: rejects out-of-range options and ids", "[model]") {
  const model::Caduceus m = model::Caduceus::load(test::model_dir("ph_tiny"));
  const std::vector<int32_t> ids = random_ids(10, 9);
  model::ForwardOptions o;
  o.capture_layers = {m.config().n_layer + 1};
  CHECK_THROWS_AS(m.forward(ids, o), ConfigError);
  o.capture_layers = {};
  o.tile = -1;
  CHECK_THROWS_AS(m.forward(ids, o), ConfigError);
  o.tile = 16;
  const std::vector<int32_t> bad = {7, 8, static_cast<int32_t>(m.config().vocab_size)};
  CHECK_THROWS_AS(m.forward(bad, o), InternalError);
}
