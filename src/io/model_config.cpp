// config.json of a Caduceus checkpoint (model-spec §1.1, §2.1): defaults as in CaduceusConfig and Mamba,
// and a ConfigError naming the field for anything genomamba does not implement.
#include "io/model_config.h"

#include <cerrno>
#include <cmath>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/error.h"
#include "io/json_strict.h"

namespace genomamba::io {
namespace {

using Json = nlohmann::ordered_json;  // complement_map is read in JSON key order, as modeling_rcps.py does

// The Caduceus tokenizer's complement map for ids 0..11 (model-spec §3): A(7)<->T(10), C(8)<->G(9).
constexpr int kDefaultComplement[12] = {0, 1, 2, 3, 4, 5, 6, 10, 9, 8, 7, 11};
constexpr int kTokenizerVocab = 12;
// The padded vocabulary genomamba accepts. Rows past the tokenizer's 12 are never looked up, and the
// complement map is built with one entry per row here, before any weight is read: without a bound, a
// config.json of a few bytes claiming vocab_size 2^31 would make this reader allocate gigabytes.
constexpr int64_t kMaxVocab = 65536;

std::string read_text(const std::filesystem::path& path) {
  struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  auto fail = [&path](int err) { throw InputError(path.string() + ": cannot read: " + std::strerror(err)); };
  if (!file) fail(errno);
  std::string text;
  char buf[65536];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, file.get())) > 0) text.append(buf, n);
  if (std::ferror(file.get())) fail(errno ? errno : EIO);
  return text;
}

// Field access with messages "<path>: field '<name>' ...". Names of nested fields are "ssm_cfg.<key>".
class ConfigReader {
 public:
  explicit ConfigReader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& name, const std::string& what) const {
    throw ConfigError(path_ + ": field '" + name + "' " + what);
  }

  /// The value of `key` in `object`, or nullptr if absent or null.
  static const Json* find(const Json& object, const std::string& key) {
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
  }

  const Json& require(const Json& object, const std::string& key, const std::string& name) const {
    const auto it = object.find(key);
    if (it == object.end()) throw ConfigError(path_ + ": missing required field '" + name + "'");
    return *it;
  }

  int positive_int(const Json& v, const std::string& name) const {
    if (!v.is_number_integer()) type_error(v, name, "an integer");
    const bool in_range = v.is_number_unsigned()
                              ? v.get<uint64_t>() > 0 && v.get<uint64_t>() <= static_cast<uint64_t>(INT_MAX)
                              : v.get<int64_t>() > 0 && v.get<int64_t>() <= INT_MAX;
    if (!in_range) fail(name, "= " + v.dump() + " must be a positive integer (at most " + std::to_string(INT_MAX) + ")");
    return static_cast<int>(v.get<int64_t>());
  }

  int optional_int(const Json& object, const std::string& key, const std::string& name, int fallback) const {
    const Json* v = find(object, key);
    return v ? positive_int(*v, name) : fallback;
  }

  bool optional_bool(const Json& object, const std::string& key, const std::string& name, bool fallback) const {
    const Json* v = find(object, key);
    if (!v) return fallback;
    if (!v->is_boolean()) type_error(*v, name, "a boolean");
    return v->get<bool>();
  }

  /// A boolean field that genomamba implements for one value only.
  void require_bool(const Json& object, const std::string& key, const std::string& name, bool fallback,
                    bool supported) const {
    if (optional_bool(object, key, name, fallback) != supported) {
      fail(name, std::string("= ") + (supported ? "false" : "true") + " is not supported (only " +
                     (supported ? "true" : "false") + ")");
    }
  }

  [[noreturn]] void type_error(const Json& v, const std::string& name, const char* expected) const {
    fail(name, std::string("must be ") + expected + ", got " + (v.is_null() ? std::string("null") : std::string(v.type_name()) + " " + v.dump()));
  }

 private:
  std::string path_;
};

void read_ssm_cfg(const ConfigReader& r, const Json& ssm, ModelConfig& cfg) {
  if (!ssm.is_object()) r.type_error(ssm, "ssm_cfg", "an object");
  if (const Json* layer = ConfigReader::find(ssm, "layer"); layer && *layer != "Mamba1") {
    r.fail("ssm_cfg.layer", "= " + layer->dump() + " is not supported (only \"Mamba1\")");
  }
  cfg.d_state = r.optional_int(ssm, "d_state", "ssm_cfg.d_state", 16);
  cfg.d_conv = r.optional_int(ssm, "d_conv", "ssm_cfg.d_conv", 4);
  cfg.expand = r.optional_int(ssm, "expand", "ssm_cfg.expand", 2);
  cfg.conv_bias = r.optional_bool(ssm, "conv_bias", "ssm_cfg.conv_bias", true);
  r.require_bool(ssm, "bias", "ssm_cfg.bias", false, false);

  const int64_t d_inner = static_cast<int64_t>(cfg.expand) * cfg.d_model;
  if (d_inner > INT_MAX) r.fail("ssm_cfg.expand", "= " + std::to_string(cfg.expand) + " makes d_inner too large");
  cfg.d_inner = static_cast<int>(d_inner);

  const Json* dt_rank = ConfigReader::find(ssm, "dt_rank");
  if (!dt_rank || *dt_rank == "auto") {
    cfg.dt_rank = (cfg.d_model + 15) / 16;  // math.ceil(d_model / 16), mamba_simple.py L58
  } else if (dt_rank->is_string()) {
    r.fail("ssm_cfg.dt_rank", "= " + dt_rank->dump() + " is not supported (only \"auto\" or an integer)");
  } else {
    cfg.dt_rank = r.positive_int(*dt_rank, "ssm_cfg.dt_rank");
  }
}

void read_options(const ConfigReader& r, const Json& j) {
  r.require_bool(j, "rms_norm", "rms_norm", true, true);
  r.require_bool(j, "fused_add_norm", "fused_add_norm", true, true);
  // residual_in_fp32: either value gives the same result in an fp32 engine; only the type is checked.
  r.optional_bool(j, "residual_in_fp32", "residual_in_fp32", false);
  r.require_bool(j, "bidirectional", "bidirectional", true, true);
  if (const Json* s = ConfigReader::find(j, "bidirectional_strategy")) {
    if (!s->is_string()) r.type_error(*s, "bidirectional_strategy", "a string");
    if (*s != "add") r.fail("bidirectional_strategy", "= " + s->dump() + " is not supported (only \"add\")");
  }
  r.require_bool(j, "bidirectional_weight_tie", "bidirectional_weight_tie", true, true);
}

// Values in key order (modeling_rcps.py takes list(OrderedDict(map).values())). We also require the keys
// to be "0", "1", ... so that this positional reading cannot silently disagree with the keys.
std::vector<int> read_complement_map(const ConfigReader& r, const Json* map, int vocab_size) {
  std::vector<int> out;
  if (!map) {
    out.assign(std::begin(kDefaultComplement), std::end(kDefaultComplement));
  } else {
    if (!map->is_object()) r.type_error(*map, "complement_map", "an object");
    for (const auto& [key, value] : map->items()) {
      const std::string expected = std::to_string(out.size());
      if (key != expected) {
        r.fail("complement_map", "has key '" + key + "' at position " + expected + " (keys must be 0, 1, 2, ... in order)");
      }
      if (!value.is_number_integer()) r.type_error(value, "complement_map", "an object of integers");
      const auto id = value.get<int64_t>();
      if (id < 0 || id >= vocab_size) {
        r.fail("complement_map", "maps " + key + " to " + value.dump() + ", outside the vocabulary [0, " +
                                     std::to_string(vocab_size) + ")");
      }
      out.push_back(static_cast<int>(id));
    }
  }
  if (static_cast<int64_t>(out.size()) > vocab_size) {
    r.fail("complement_map", "has " + std::to_string(out.size()) + " entries, more than vocab_size " +
                                 std::to_string(vocab_size));
  }
  for (int id = static_cast<int>(out.size()); id < vocab_size; ++id) out.push_back(id);  // L355-357
  std::vector<bool> seen(out.size(), false);
  for (size_t i = 0; i < out.size(); ++i) {
    if (seen[static_cast<size_t>(out[i])]) {
      r.fail("complement_map", "is not a permutation: id " + std::to_string(out[i]) + " is the complement of two ids");
    }
    seen[static_cast<size_t>(out[i])] = true;
  }
  return out;
}

}  // namespace

ModelConfig read_model_config(const std::filesystem::path& path) {
  const std::string p = path.string();
  ModelConfig cfg;
  cfg.json_text = read_text(path);
  Json j;
  try {
    j = detail::parse_json_strict<Json>(cfg.json_text);
  } catch (const detail::DuplicateKeyError& e) {
    throw InputError(p + ": config has a duplicate key '" + e.key() + "'");
  } catch (const detail::JsonTooDeepError& e) {
    throw InputError(p + ": config " + e.what());
  } catch (const Json::exception& e) {
    throw InputError(p + ": config is not valid JSON: " + e.what());
  }
  if (!j.is_object()) throw InputError(p + ": config is not a JSON object");

  const ConfigReader r(p);
  // Another architecture's config (Mamba, HyenaDNA, ...) may share field names; its weights would not match.
  if (const Json* type = ConfigReader::find(j, "model_type"); type && *type != "caduceus") {
    r.fail("model_type", "= " + type->dump() + " is not supported (only \"caduceus\": Caduceus-PH or -PS)");
  }
  cfg.d_model = r.positive_int(r.require(j, "d_model", "d_model"), "d_model");
  cfg.n_layer = r.positive_int(r.require(j, "n_layer", "n_layer"), "n_layer");
  const int vocab = r.positive_int(r.require(j, "vocab_size", "vocab_size"), "vocab_size");
  const Json& ssm = r.require(j, "ssm_cfg", "ssm_cfg");
  read_ssm_cfg(r, ssm, cfg);
  read_options(r, j);

  const int multiple = r.optional_int(j, "pad_vocab_size_multiple", "pad_vocab_size_multiple", 8);
  int64_t padded = vocab;
  if (padded % multiple != 0) padded += multiple - padded % multiple;  // modeling_caduceus.py L353-354
  if (padded > kMaxVocab) {
    r.fail("vocab_size", "= " + std::to_string(vocab) + " (padded to a multiple of " + std::to_string(multiple) +
                             ") is too large: at most " + std::to_string(kMaxVocab) + " rows are supported");
  }
  if (padded < kTokenizerVocab) {
    r.fail("vocab_size", "= " + std::to_string(vocab) + " is too small for the Caduceus tokenizer (" +
                             std::to_string(kTokenizerVocab) + " tokens)");
  }
  cfg.vocab_size = static_cast<int>(padded);

  if (const Json* eps = ConfigReader::find(j, "norm_epsilon")) {
    if (!eps->is_number()) r.type_error(*eps, "norm_epsilon", "a number");
    if (!(eps->get<double>() > 0.0)) r.fail("norm_epsilon", "= " + eps->dump() + " must be positive");
    cfg.norm_epsilon = static_cast<float>(eps->get<double>());
    if (!std::isfinite(cfg.norm_epsilon) || cfg.norm_epsilon == 0.0f) {
      r.fail("norm_epsilon", "= " + eps->dump() + " does not fit a float32 (the engine computes in float32)");
    }
  }
  cfg.rcps = r.optional_bool(j, "rcps", "rcps", false);
  cfg.complement_map = read_complement_map(r, ConfigReader::find(j, "complement_map"), cfg.vocab_size);
  return cfg;
}

}  // namespace genomamba::io
