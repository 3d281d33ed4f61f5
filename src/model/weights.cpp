#include "model/weights.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/error.h"
#include "io/safetensors.h"
#include "model/sha256.h"
#include "model/weight_names.h"

namespace genomamba::model {
namespace {

using Shape = std::vector<int64_t>;

/// Checks tensors of one file against the expected set and converts them.
class TensorChecker {
 public:
  explicit TensorChecker(const io::SafetensorsFile& file) : file_(file) {}

  /// A float tensor (F32, F16, BF16, F64) of the given shape, as float32.
  std::vector<float> take_float(const std::string& name, const Shape& shape) {
    const io::TensorView& t = take(name, shape);
    if (t.dtype == io::DType::I64)
      fail(name, std::string("has dtype ") + io::dtype_name(t.dtype) +
                       ", expected a float dtype (F32, F16, BF16, F64)");
    n_parameters_ += t.numel();
    std::vector<float> values = t.to_f32();
    check_finite(name, values, "");
    return values;
  }

  /// Every value finite: a NaN or infinite weight (a broken or diverged checkpoint, or an F64 value beyond
  /// float range) would turn every output into NaN without another word.
  void check_finite(const std::string& name, const std::vector<float>& values, const std::string& after) const {
    for (size_t i = 0; i < values.size(); ++i) {
      if (!std::isfinite(values[i])) {
        fail(name, "has a non-finite value (" + std::to_string(values[i]) + ") at flat index " + std::to_string(i) +
                       after + "; the checkpoint is broken");
      }
    }
  }

  /// An I64 tensor of the given shape.
  std::vector<int64_t> take_i64(const std::string& name, const Shape& shape) {
    const io::TensorView& t = take(name, shape);
    if (t.dtype != io::DType::I64) fail(name, std::string("has dtype ") + io::dtype_name(t.dtype) + ", expected I64");
    return t.to_i64();
  }

  /// Rejects any tensor of the file that no take_*() asked for.
  void reject_unexpected() const {
    for (const auto& [name, view] : file_.tensors())
      if (taken_.count(name) == 0)
        throw InputError(file_.path().string() + ": unexpected tensor '" + name + "' (shape " +
                         io::shape_string(view.shape) + ")");
  }

  [[noreturn]] void fail(const std::string& name, const std::string& problem) const {
    throw InputError(file_.path().string() + ": tensor '" + name + "' " + problem);
  }

  int64_t n_parameters() const { return n_parameters_; }

 private:
  const io::TensorView& take(const std::string& name, const Shape& shape) {
    if (!file_.contains(name)) fail(name, "is missing");
    const io::TensorView& t = file_.at(name);
    if (t.shape != shape)
      fail(name, "has shape " + io::shape_string(t.shape) + ", expected " + io::shape_string(shape));
    taken_.insert(name);
    return t;
  }

  const io::SafetensorsFile& file_;
  std::set<std::string> taken_;
  int64_t n_parameters_ = 0;
};

MambaDirectionWeights load_direction(TensorChecker& tc, const io::ModelConfig& c, const std::string& prefix) {
  const int64_t Di = c.d_inner, K = c.d_conv, R = c.dt_rank, N = c.d_state;
  MambaDirectionWeights w;
  w.conv_weight = tc.take_float(prefix + "conv1d.weight", {Di, 1, K});
  w.conv_bias = c.conv_bias ? tc.take_float(prefix + "conv1d.bias", {Di}) : std::vector<float>(Di, 0.0f);
  w.x_proj = tc.take_float(prefix + "x_proj.weight", {R + 2 * N, Di});
  w.dt_proj = tc.take_float(prefix + "dt_proj.weight", {Di, R});
  w.dt_bias = tc.take_float(prefix + "dt_proj.bias", {Di});
  w.A = tc.take_float(prefix + "A_log", {Di, N});
  for (float& a : w.A) a = -std::exp(a);  // A = -exp(A_log)
  tc.check_finite(prefix + "A_log", w.A, " of A = -exp(A_log) (A_log too large)");
  w.D = tc.take_float(prefix + "D", {Di});
  return w;
}

LayerWeights load_layer(TensorChecker& tc, const io::ModelConfig& c, int layer) {
  const int64_t D = c.d_model, Di = c.d_inner;
  const std::string fwd = names::mamba_prefix(c.rcps, layer, false);
  LayerWeights w;
  w.norm = tc.take_float(names::layer_norm(layer), {D});
  // in_proj / out_proj of mamba_rev are tied to mamba_fwd and not stored (model-spec §4.3).
  w.in_proj = tc.take_float(fwd + "in_proj.weight", {2 * Di, D});
  w.out_proj = tc.take_float(fwd + "out_proj.weight", {D, Di});
  w.fwd = load_direction(tc, c, fwd);
  w.rev = load_direction(tc, c, names::mamba_prefix(c.rcps, layer, true));
  return w;
}

void check_complement_map(TensorChecker& tc, const io::ModelConfig& c, const std::string& name) {
  const auto map = tc.take_i64(name, {static_cast<int64_t>(c.vocab_size)});
  for (size_t i = 0; i < map.size(); ++i)
    if (map[i] != c.complement_map[i])
      tc.fail(name, "maps id " + std::to_string(i) + " to " + std::to_string(map[i]) + ", but config.json maps it to " +
                        std::to_string(c.complement_map[i]));
}

}  // namespace

CaduceusWeights load_weights(const std::filesystem::path& dir) {
  CaduceusWeights w;
  w.config = io::read_model_config(dir / "config.json");
  const io::ModelConfig& c = w.config;
  GM_CHECK(static_cast<int>(c.complement_map.size()) == c.vocab_size,
           "config.complement_map must have vocab_size entries");
  const std::filesystem::path path = dir / "model.safetensors";
  const io::SafetensorsFile file(path);
  TensorChecker tc(file);

  w.embedding = tc.take_float(names::embedding(c.rcps), {c.vocab_size, c.d_model});
  w.norm_f = tc.take_float(names::norm_f(), {c.d_model});
  // n_layer is a claim of config.json: memory is reserved for no more layers than the file has tensors, and
  // the first layer the file lacks is reported as a missing tensor.
  w.layers.reserve(std::min(static_cast<size_t>(c.n_layer), file.tensors().size()));
  for (int i = 0; i < c.n_layer; ++i) w.layers.push_back(load_layer(tc, c, i));
  if (c.rcps) {
    check_complement_map(tc, c, names::embedding_complement_map());
    check_complement_map(tc, c, names::lm_head_complement_map());
  }
  tc.reject_unexpected();
  w.n_parameters = tc.n_parameters();
  w.sha256 = sha256_file(path);
  return w;
}

}  // namespace genomamba::model
