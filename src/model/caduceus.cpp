#include "model/caduceus.h"

#include <string>
#include <utility>

#include "core/error.h"
#include "model/engine.h"

namespace genomamba::model {

Caduceus::Caduceus(CaduceusWeights weights) : weights_(std::move(weights)) {
  const io::ModelConfig& c = weights_.config;
  GM_CHECK(static_cast<int>(weights_.layers.size()) == c.n_layer, "weights.layers must have n_layer entries");
  GM_CHECK(weights_.embedding.size() == static_cast<size_t>(c.vocab_size) * c.d_model,
           "weights.embedding must have shape [vocab_size, d_model]");
}

Caduceus::~Caduceus() = default;
Caduceus::Caduceus(Caduceus&& other) noexcept = default;
Caduceus& Caduceus::operator=(Caduceus&& other) noexcept = default;

Caduceus Caduceus::load(const std::filesystem::path& dir) { return Caduceus(load_weights(dir)); }

int Caduceus::hidden_width() const {
  return weights_.config.rcps ? 2 * weights_.config.d_model : weights_.config.d_model;
}

ForwardResult Caduceus::forward(std::span<const int32_t> ids, const ForwardOptions& options) const {
  return std::move(forward_batch(ids, 1, options).front());
}

std::vector<ForwardResult> Caduceus::forward_batch(std::span<const int32_t> ids, int64_t batch,
                                                   const ForwardOptions& options) const {
  if (options.tile < 1) throw ConfigError("tile must be >= 1, got " + std::to_string(options.tile));
  GM_CHECK(batch >= 1 && ids.size() % static_cast<size_t>(batch) == 0, "forward_batch: ids must hold batch sequences");
  const int V = weights_.config.vocab_size;
  for (int32_t id : ids) GM_CHECK(id >= 0 && id < V, "ids must be in 0..vocab_size-1");
  EngineOptions wanted;
  wanted.batch = batch;
  wanted.max_tokens = static_cast<int64_t>(ids.size()) / batch;
  wanted.tile = options.tile;
  wanted.memory = options.memory;
  wanted.sequence_chunks = options.sequence_chunks;
  std::lock_guard<std::mutex> lock(*engine_mutex_);
  // The cached engine serves a call of the same batch and mode whose sequences fit its arena; the memory mode
  // is decided by the length it was built for, so AUTO is re-decided for the call's own length.
  const bool fits = engine_ && engine_->options().batch == batch && engine_->options().tile == wanted.tile &&
                    engine_->options().sequence_chunks == wanted.sequence_chunks &&
                    engine_->options().max_tokens >= wanted.max_tokens &&
                    engine_->streaming() == streaming_for(wanted) && engine_->options().memory == wanted.memory;
  if (!fits) {
    engine_.reset();  // its arena goes before the next one is allocated
    engine_ = std::make_unique<Engine>(weights_, wanted);
  }
  return engine_->forward(ids, batch, options);
}

}  // namespace genomamba::model
