#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>

#include "core/error.h"
#include "io/safetensors.h"
#include "support/safetensors_writer.h"
#include "model/sha256.h"
#include "model/weights.h"
#include "support/model_fixtures.h"
#include "support/temp_dir.h"

using Catch::Contains;
using namespace genomamba;
using test::TestTensor;

namespace {

/// The tensors of a safetensors file as writer input (name, dtype, shape, raw bytes).
std::vector<TestTensor> read_tensors(const std::filesystem::path& path) {
  const io::SafetensorsFile file(path);
  std::vector<TestTensor> out;
  for (const auto& [name, t] : file.tensors())
    out.push_back({name, io::dtype_name(t.dtype), t.shape,
                   std::string(reinterpret_cast<const char*>(t.bytes.data()), t.bytes.size())});
  return out;
}

/// Copies fixture `name` into `dir` with its tensors passed through `edit` and its config text through
/// `edit_config`.
void write_modified(const test::TempDir& dir, const std::string& name,
                    const std::function<void(std::vector<TestTensor>&)>& edit,
                    const std::function<void(std::string&)>& edit_config = {}) {
  auto tensors = read_tensors(test::model_dir(name) / "model.safetensors");
  edit(tensors);
  std::string config = test::read_file(test::model_dir(name) / "config.json");
  if (edit_config) edit_config(config);
  test::write_file(dir / "config.json", config);
  test::write_file(dir / "model.safetensors", test::safetensors_file(tensors));
}

TestTensor& find(std::vector<TestTensor>& tensors, const std::string& name) {
  auto it = std::find_if(tensors.begin(), tensors.end(), [&](const TestTensor& t) { return t.name == name; });
  REQUIRE(it != tensors.end());
  return *it;
}

/// The message of the InputError that load_weights(dir) throws.
std::string load_error(const std::filesystem::path& dir) {
  try {
    model::load_weights(dir);
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("load_weights did not throw InputError");
  return {};
}

/// Unique trainable parameters implied by a config (model-spec §4.3).
int64_t expected_parameters(const io::ModelConfig& c) {
  const int64_t D = c.d_model, Di = c.d_inner, N = c.d_state, R = c.dt_rank, K = c.d_conv;
  const int64_t direction = Di * K + (c.conv_bias ? Di : 0) + (R + 2 * N) * Di + Di * R + Di + Di * N + Di;
  const int64_t layer = D + 2 * Di * D + D * Di + 2 * direction;
  return c.n_layer * layer + int64_t{c.vocab_size} * D + D;
}

const std::string kMambaRev1 = "caduceus.backbone.layers.1.mixer.mamba_rev.";

}  // namespace

TEST_CASE("load_weights: loads every fixture, converts dtypes and counts unique parameters", "[model]") {
  for (const std::string& name : test::model_fixture_names()) {
    INFO(name);
    const model::CaduceusWeights w = model::load_weights(test::model_dir(name));
    const io::ModelConfig& c = w.config;
    CHECK(w.layers.size() == static_cast<size_t>(c.n_layer));
    CHECK(w.embedding.size() == static_cast<size_t>(c.vocab_size * c.d_model));
    CHECK(w.n_parameters == expected_parameters(c));
    CHECK(w.sha256 == model::sha256_file(test::model_dir(name) / "model.safetensors"));
    CHECK(w.sha256.size() == 64);
    const io::SafetensorsFile file(test::model_dir(name) / "model.safetensors");
    const auto a_log = file.at(std::string(c.rcps ? "caduceus.backbone.layers.0.mixer.submodule.mamba_rev."
                                                   : "caduceus.backbone.layers.0.mixer.mamba_rev.") +
                               "A_log")
                           .to_f32();
    CHECK(w.layers[0].rev.A[3] == -std::exp(a_log[3]));
  }
}

TEST_CASE("load_weights: a missing tensor is an InputError naming the file and tensor", "[model]") {
  test::TempDir dir;
  write_modified(dir, "ph_tiny", [](auto& t) {
    const auto is_d = [](const TestTensor& x) { return x.name == kMambaRev1 + "D"; };
    t.erase(std::remove_if(t.begin(), t.end(), is_d), t.end());
  });
  const std::string msg = load_error(dir.path());
  CHECK_THAT(msg, Contains("model.safetensors") && Contains("'" + kMambaRev1 + "D'") && Contains("missing"));
}

TEST_CASE("load_weights: an unexpected tensor is an InputError naming it", "[model]") {
  test::TempDir dir;
  // The tied reverse in_proj stored explicitly is not part of the checkpoint layout.
  write_modified(dir, "ph_tiny", [](auto& t) {
    TestTensor extra = find(t, "caduceus.backbone.layers.0.mixer.mamba_fwd.in_proj.weight");
    extra.name = "caduceus.backbone.layers.0.mixer.mamba_rev.in_proj.weight";
    t.push_back(extra);
  });
  CHECK_THAT(load_error(dir.path()),
             Contains("unexpected tensor 'caduceus.backbone.layers.0.mixer.mamba_rev.in_proj.weight'"));
}

TEST_CASE("load_weights: a wrong shape is an InputError with both shapes", "[model]") {
  test::TempDir dir;
  write_modified(dir, "ph_tiny", [](auto& t) { find(t, kMambaRev1 + "x_proj.weight").shape = {32, 9}; });
  CHECK_THAT(load_error(dir.path()),
             Contains("tensor '" + kMambaRev1 + "x_proj.weight' has shape [32, 9], expected [9, 32]"));
}

TEST_CASE("load_weights: wrong dtypes are InputErrors naming the tensor", "[model]") {
  test::TempDir dir;
  SECTION("an integer weight") {
    write_modified(dir, "ph_tiny", [](auto& t) {
      TestTensor& b = find(t, kMambaRev1 + "conv1d.bias");
      b.dtype = "I64";
      b.data.append(b.data.size(), '\0');  // 8 bytes per element
    });
    CHECK_THAT(load_error(dir.path()), Contains("'" + kMambaRev1 + "conv1d.bias' has dtype I64"));
  }
  SECTION("a float complement map") {
    write_modified(dir, "ps_tiny", [](auto& t) {
      TestTensor& m = find(t, "lm_head.complement_map");
      m.dtype = "F32";
      m.data.resize(m.data.size() / 2);
    });
    CHECK_THAT(load_error(dir.path()), Contains("'lm_head.complement_map' has dtype F32, expected I64"));
  }
  SECTION("a complement map that differs from the config") {
    write_modified(dir, "ps_tiny", [](auto& t) {
      TestTensor& m = find(t, "caduceus.backbone.embeddings.word_embeddings.complement_map");
      const int64_t seven = 7;
      std::memcpy(m.data.data() + 8 * 7, &seven, 8);  // A maps to itself instead of T
    });
    CHECK_THAT(load_error(dir.path()), Contains("'caduceus.backbone.embeddings.word_embeddings.complement_map'"));
  }
}

TEST_CASE("load_weights: conv_bias false needs no conv1d.bias and uses zeros", "[model]") {
  test::TempDir dir;
  const auto drop_bias = [](auto& t) {
    t.erase(std::remove_if(t.begin(), t.end(), [](const TestTensor& x) { return x.name.ends_with("conv1d.bias"); }),
            t.end());
  };
  const auto no_conv_bias = [](std::string& config) {
    const auto at = config.find("\"conv_bias\": true");
    REQUIRE(at != std::string::npos);
    config.replace(at, 17, "\"conv_bias\": false");
  };
  write_modified(dir, "ph_odd", drop_bias, no_conv_bias);
  const model::CaduceusWeights w = model::load_weights(dir.path());
  CHECK_FALSE(w.config.conv_bias);
  CHECK(w.layers[2].fwd.conv_bias == std::vector<float>(static_cast<size_t>(w.config.d_inner), 0.0f));
  CHECK(w.n_parameters == expected_parameters(w.config));

  write_modified(dir, "ph_odd", [](auto&) {}, no_conv_bias);  // biases present although conv_bias is false
  CHECK_THAT(load_error(dir.path()), Contains("unexpected tensor") && Contains("conv1d.bias"));
}

TEST_CASE("load_weights: a directory without model.safetensors is an InputError", "[model]") {
  test::TempDir dir;
  test::write_file(dir / "config.json", test::read_file(test::model_dir("ph_tiny") / "config.json"));
  CHECK_THROWS_AS(model::load_weights(dir.path()), InputError);
}
