#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/error.h"
#include "io/model_config.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::ConfigError;
using genomamba::InputError;
using genomamba::io::read_model_config;
using Json = nlohmann::ordered_json;
using namespace genomamba::test;

namespace {

// The fields of the Caduceus-PS 131k config.json (model-spec §2.1), in the file's key order.
Json ps_config() {
  return Json::parse(R"({
    "architectures": ["CaduceusForMaskedLM"],
    "bidirectional": true, "bidirectional_strategy": "add", "bidirectional_weight_tie": true,
    "complement_map": {"0":0,"1":1,"2":2,"3":3,"4":4,"5":5,"6":6,"7":10,"8":9,"9":8,"10":7,"11":11,
                       "12":12,"13":13,"14":14,"15":15},
    "d_model": 256, "fused_add_norm": true,
    "initializer_cfg": {"initializer_range": 0.02, "n_residuals_per_layer": 1, "rescale_prenorm_residual": true},
    "model_type": "caduceus", "n_layer": 16, "norm_epsilon": 1e-05, "pad_vocab_size_multiple": 8,
    "rcps": true, "residual_in_fp32": false, "rms_norm": true,
    "ssm_cfg": {"bias": false, "conv_bias": true, "d_conv": 4, "d_state": 16, "dt_init": "random",
                "dt_init_floor": 0.0001, "dt_max": 0.1, "dt_min": 0.001, "dt_rank": "auto", "dt_scale": 1.0,
                "expand": 2, "use_fast_path": true},
    "torch_dtype": "float32", "transformers_version": "4.38.1", "vocab_size": 16
  })");
}

std::filesystem::path write_config(const TempDir& dir, const std::string& text) {
  const auto path = dir / "config.json";
  write_file(path, text);
  return path;
}

const std::vector<int> kCaduceusMap16 = {0, 1, 2, 3, 4, 5, 6, 10, 9, 8, 7, 11, 12, 13, 14, 15};

}  // namespace

TEST_CASE("read_model_config: parses the Caduceus-PS config", "[io]") {
  TempDir dir;
  const std::string text = ps_config().dump(2);
  const auto cfg = read_model_config(write_config(dir, text));
  CHECK(cfg.d_model == 256);
  CHECK(cfg.n_layer == 16);
  CHECK(cfg.vocab_size == 16);
  CHECK(cfg.d_state == 16);
  CHECK(cfg.d_conv == 4);
  CHECK(cfg.expand == 2);
  CHECK(cfg.d_inner == 512);
  CHECK(cfg.dt_rank == 16);
  CHECK(cfg.conv_bias);
  CHECK(cfg.norm_epsilon == 1e-5f);
  CHECK(cfg.rcps);
  CHECK(std::string(cfg.kind()) == "caduceus-ps");
  CHECK(cfg.complement_map == kCaduceusMap16);
  CHECK(cfg.json_text == text);
}

TEST_CASE("read_model_config: rcps false is Caduceus-PH", "[io]") {
  TempDir dir;
  Json j = ps_config();
  j["rcps"] = false;
  const auto cfg = read_model_config(write_config(dir, j.dump()));
  CHECK_FALSE(cfg.rcps);
  CHECK(std::string(cfg.kind()) == "caduceus-ph");
}

TEST_CASE("read_model_config: pads the vocabulary and extends the default complement map", "[io]") {
  TempDir dir;
  Json j = ps_config();
  j["vocab_size"] = 12;
  j.erase("complement_map");
  const auto cfg = read_model_config(write_config(dir, j.dump()));
  CHECK(cfg.vocab_size == 16);
  CHECK(cfg.complement_map == kCaduceusMap16);

  j["pad_vocab_size_multiple"] = 5;
  CHECK(read_model_config(write_config(dir, j.dump())).vocab_size == 15);
}

TEST_CASE("read_model_config: extends a short complement map with identity", "[io]") {
  TempDir dir;
  Json j = ps_config();
  j["complement_map"] = Json::parse(R"({"0":0,"1":1,"2":2,"3":3,"4":4,"5":5,"6":6,"7":10,"8":9,"9":8,"10":7,"11":11})");
  CHECK(read_model_config(write_config(dir, j.dump())).complement_map == kCaduceusMap16);
}

TEST_CASE("read_model_config: applies Mamba defaults for absent ssm_cfg keys", "[io]") {
  TempDir dir;
  Json j = ps_config();
  j["ssm_cfg"] = Json::object();
  j["d_model"] = 200;
  for (const char* key : {"rms_norm", "fused_add_norm", "residual_in_fp32", "norm_epsilon", "pad_vocab_size_multiple",
                          "bidirectional", "bidirectional_strategy", "bidirectional_weight_tie", "rcps"}) {
    j.erase(key);
  }
  const auto cfg = read_model_config(write_config(dir, j.dump()));
  CHECK(cfg.d_state == 16);
  CHECK(cfg.d_conv == 4);
  CHECK(cfg.expand == 2);
  CHECK(cfg.d_inner == 400);
  CHECK(cfg.dt_rank == 13);  // ceil(200 / 16)
  CHECK(cfg.conv_bias);
  CHECK(cfg.norm_epsilon == 1e-5f);
  CHECK_FALSE(cfg.rcps);
}

TEST_CASE("read_model_config: reads explicit ssm_cfg values", "[io]") {
  TempDir dir;
  Json j = ps_config();
  j["ssm_cfg"]["dt_rank"] = 8;
  j["ssm_cfg"]["d_state"] = 4;
  j["ssm_cfg"]["d_conv"] = 3;
  j["ssm_cfg"]["expand"] = 1;
  j["ssm_cfg"]["conv_bias"] = false;
  j["residual_in_fp32"] = true;
  j["norm_epsilon"] = 1e-6;
  const auto cfg = read_model_config(write_config(dir, j.dump()));
  CHECK(cfg.dt_rank == 8);
  CHECK(cfg.d_state == 4);
  CHECK(cfg.d_conv == 3);
  CHECK(cfg.d_inner == 256);
  CHECK_FALSE(cfg.conv_bias);
  CHECK(cfg.norm_epsilon == 1e-6f);
}

TEST_CASE("read_model_config: names a missing required field", "[io]") {
  TempDir dir;
  const std::string field = GENERATE("d_model", "n_layer", "vocab_size", "ssm_cfg");
  Json j = ps_config();
  j.erase(field);
  const auto path = write_config(dir, j.dump());
  REQUIRE_THROWS_AS(read_model_config(path), ConfigError);
  REQUIRE_THROWS_WITH(read_model_config(path), path.string() + ": missing required field '" + field + "'");
}

TEST_CASE("read_model_config: names unsupported or mistyped fields", "[io]") {
  struct Case {
    const char* pointer;
    Json value;
    std::string message;
  };
  const Case c = GENERATE(values<Case>({
      {"/bidirectional_strategy", "ew_multiply",
       "field 'bidirectional_strategy' = \"ew_multiply\" is not supported (only \"add\")"},
      {"/rms_norm", false, "field 'rms_norm' = false is not supported (only true)"},
      {"/fused_add_norm", false, "field 'fused_add_norm' = false is not supported (only true)"},
      {"/bidirectional", false, "field 'bidirectional' = false is not supported (only true)"},
      {"/bidirectional_weight_tie", false, "field 'bidirectional_weight_tie' = false is not supported (only true)"},
      {"/ssm_cfg/bias", true, "field 'ssm_cfg.bias' = true is not supported (only false)"},
      {"/ssm_cfg/dt_rank", "big", "field 'ssm_cfg.dt_rank' = \"big\" is not supported"},
      {"/ssm_cfg/layer", "Mamba2", "field 'ssm_cfg.layer' = \"Mamba2\" is not supported"},
      {"/ssm_cfg", Json::array(), "field 'ssm_cfg' must be an object, got array []"},
      {"/ssm_cfg/d_state", 0, "field 'ssm_cfg.d_state' = 0 must be a positive integer"},
      {"/d_model", -256, "field 'd_model' = -256 must be a positive integer"},
      {"/d_model", "256", "field 'd_model' must be an integer, got string \"256\""},
      {"/n_layer", 1.5, "field 'n_layer' must be an integer, got number 1.5"},
      {"/vocab_size", 4, "field 'vocab_size' = 4 is too small for the Caduceus tokenizer"},
      {"/rcps", "yes", "field 'rcps' must be a boolean, got string \"yes\""},
      {"/norm_epsilon", -1.0, "field 'norm_epsilon' = -1.0 must be positive"},
      {"/norm_epsilon", 1e300, "field 'norm_epsilon' = 1e+300 does not fit a float32"},
      {"/norm_epsilon", 1e-300, "field 'norm_epsilon' = 1e-300 does not fit a float32"},
      {"/complement_map/7", 7, "field 'complement_map' is not a permutation"},
      {"/complement_map/7", 99, "field 'complement_map' maps 7 to 99, outside the vocabulary [0, 16)"},
      {"/complement_map", Json::array({0, 1}), "field 'complement_map' must be an object"},
  }));
  TempDir dir;
  Json j = ps_config();
  j[Json::json_pointer(c.pointer)] = c.value;
  const auto path = write_config(dir, j.dump());
  INFO(c.pointer);
  REQUIRE_THROWS_AS(read_model_config(path), ConfigError);
  REQUIRE_THROWS_WITH(read_model_config(path), Catch::StartsWith(path.string() + ": ") && Contains(c.message));
}

TEST_CASE("read_model_config: rejects complement_map keys out of order", "[io]") {
  TempDir dir;
  Json j = ps_config();
  j["complement_map"] = Json::parse(R"({"1":1,"0":0})");
  REQUIRE_THROWS_WITH(read_model_config(write_config(dir, j.dump())),
                      Contains("field 'complement_map' has key '1' at position 0"));
}

TEST_CASE("read_model_config: unreadable or malformed files are input errors", "[io]") {
  TempDir dir;
  const auto missing = dir / "absent.json";
  REQUIRE_THROWS_AS(read_model_config(missing), InputError);
  REQUIRE_THROWS_WITH(read_model_config(missing), missing.string() + ": cannot read: No such file or directory");

  const auto bad = write_config(dir, "{\"d_model\": 256,");
  REQUIRE_THROWS_AS(read_model_config(bad), InputError);
  REQUIRE_THROWS_WITH(read_model_config(bad), Contains(bad.string() + ": config is not valid JSON"));

  const auto dup = write_config(dir, R"({"d_model": 256, "d_model": 128})");
  REQUIRE_THROWS_WITH(read_model_config(dup), Contains("duplicate key 'd_model'"));

  const auto array = write_config(dir, "[1, 2]");
  REQUIRE_THROWS_WITH(read_model_config(array), Contains("config is not a JSON object"));
}
