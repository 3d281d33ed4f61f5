// genomamba inspect: what a checkpoint directory holds (design §4).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "commands.h"
#include "io/model_config.h"
#include "io/safetensors.h"
#include "model/weights.h"

namespace genomamba::apps {

void setup_inspect(CLI::App& app, const RunContext& /*context*/) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* sub = app.add_subcommand("inspect", "Print a model's kind, config, parameter count, tensor table and "
                                                "the sha256 of its model.safetensors (to stdout)");
  sub->add_option("-m,--model", options->model_dir,
                  "Model folder: a Hugging Face Caduceus checkpoint (config.json + model.safetensors)")
      ->required();
  sub->footer("Example:\n  genomamba inspect -m data/models/caduceus-ph-untrained-d64-l4");
  sub->callback([options] { run_inspect(*options); });
}

namespace {

void print_config(const io::ModelConfig& c) {
  std::printf("d_model: %d\n", c.d_model);
  std::printf("n_layer: %d\n", c.n_layer);
  std::printf("vocab_size: %d\n", c.vocab_size);
  std::printf("d_state: %d\n", c.d_state);
  std::printf("d_conv: %d\n", c.d_conv);
  std::printf("expand: %d\n", c.expand);
  std::printf("d_inner: %d\n", c.d_inner);
  std::printf("dt_rank: %d\n", c.dt_rank);
  std::printf("conv_bias: %s\n", c.conv_bias ? "true" : "false");
  std::printf("norm_epsilon: %g\n", static_cast<double>(c.norm_epsilon));
  std::printf("rcps: %s\n", c.rcps ? "true" : "false");
}

void print_tensor_table(const io::SafetensorsFile& file) {
  size_t width = 4;
  for (const auto& [name, tensor] : file.tensors()) width = std::max(width, name.size());
  const int w = static_cast<int>(width);
  std::printf("tensors: %zu\n", file.tensors().size());
  std::printf("  %-*s  %-5s  %s\n", w, "name", "dtype", "shape");
  for (const auto& [name, tensor] : file.tensors()) {
    std::printf("  %-*s  %-5s  %s\n", w, name.c_str(), io::dtype_name(tensor.dtype),
                io::shape_string(tensor.shape).c_str());
  }
}

}  // namespace

void run_inspect(const InspectOptions& options) {
  const std::filesystem::path dir = options.model_dir;
  require_model_folder(dir);
  const model::CaduceusWeights weights = model::load_weights(dir);  // validates config and tensors
  const io::SafetensorsFile file(dir / "model.safetensors");
  std::printf("model: %s\n", dir.string().c_str());
  std::printf("kind: %s\n", weights.config.kind());
  print_config(weights.config);
  std::printf("parameters: %lld\n", static_cast<long long>(weights.n_parameters));
  std::printf("sha256: %s\n", weights.sha256.c_str());
  print_tensor_table(file);
  std::fflush(stdout);
}

}  // namespace genomamba::apps
