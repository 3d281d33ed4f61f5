#include "model/caduceus.h"

#include <algorithm>
#include <string>
#include <utility>

#include "core/error.h"
#include "model/engine.h"
#include "model/memory_plan.h"

namespace genomamba::model {
namespace {

/// The memory plan's choice for AUTO: depends only on the run's shape and the memory allowed, so the same call
/// always runs the same way.
MemoryMode auto_mode(const CaduceusWeights& weights, int64_t L, int64_t batch, int64_t tile,
                     const ForwardOptions& options) {
  PlanRequest request;
  request.window = L, request.batch = batch, request.tile = tile, request.max_bytes = options.max_memory;
  request.device = options.device, request.dtype = options.dtype;
  request.want_final_hidden = options.want_final_hidden, request.want_logits = options.want_logits;
  request.captures = static_cast<int>(options.capture_layers.size());
  return plan_memory(weights, request).mode();
}

}  // namespace

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
  if (options.tile < 0) throw ConfigError("tile must be >= 1, got " + std::to_string(options.tile));
  const int64_t tile = options.tile > 0 ? options.tile : default_tile(options.device);
  GM_CHECK(batch >= 1 && ids.size() % static_cast<size_t>(batch) == 0, "forward_batch: ids must hold batch sequences");
  const int V = weights_.config.vocab_size;
  for (int32_t id : ids) GM_CHECK(id >= 0 && id < V, "ids must be in 0..vocab_size-1");
  const int64_t L = static_cast<int64_t>(ids.size()) / batch;
  const bool ranked = options.comm != nullptr && options.comm->size() > 1;
  if (ranked && (options.memory == MemoryMode::STREAMING || options.sequence_chunks > 1)) {
    throw ConfigError("sequence parallelism over ranks needs the whole-sequence memory mode without chunks");
  }
  // At most kBatchTokens tokens per forward: a batch of short windows shares one forward, long windows run one
  // at a time, so the arena never outgrows what one long window needs. Ranks decide on the whole sequence's
  // length, so that all of them run the same forwards.
  int64_t length = L;
  if (ranked) {
    double total[1] = {static_cast<double>(L)};
    options.comm->all_reduce_sum(total);
    length = static_cast<int64_t>(total[0]);
  }
  const int64_t per_forward = std::clamp<int64_t>(kBatchTokens / std::max<int64_t>(length, 1), 1, batch);
  std::lock_guard<std::mutex> lock(*engine_mutex_);
  MemoryMode mode = options.memory;
  if (ranked) {  // the one mode ranks run in; a shard that does not fit is refused by the plan
    PlanRequest request;
    request.device = options.device, request.dtype = options.dtype;
    request.window = L, request.batch = batch, request.tile = tile, request.max_bytes = options.max_memory;
    request.memory = MemoryMode::WHOLE_SEQUENCE, request.ranks = 1;  // the window is this rank's share already
    request.want_final_hidden = options.want_final_hidden, request.want_logits = options.want_logits;
    request.captures = static_cast<int>(options.capture_layers.size());
    if (!auto_choice_ || auto_choice_->comm != options.comm || auto_choice_->length != L) {
      plan_memory(weights_, request);
      auto_choice_ = AutoChoice{options.device, options.comm, L, batch, tile, options.max_memory,
                                options.want_final_hidden, options.want_logits, options.capture_layers.size(),
                                MemoryMode::WHOLE_SEQUENCE};
    }
    mode = MemoryMode::WHOLE_SEQUENCE;
  } else if (mode == MemoryMode::AUTO) {
    AutoChoice shape{options.device, nullptr, L, batch, tile, options.max_memory, options.want_final_hidden,
                     options.want_logits, options.capture_layers.size(), MemoryMode::AUTO};
    const auto same = [&](const AutoChoice& a) {
      return a.device == shape.device && a.comm == nullptr && a.length == shape.length && a.batch == shape.batch && a.tile == shape.tile &&
             a.max_memory == shape.max_memory && a.final_hidden == shape.final_hidden && a.logits == shape.logits &&
             a.captures == shape.captures;
    };
    if (!auto_choice_ || !same(*auto_choice_)) {
      shape.mode = auto_mode(weights_, L, batch, tile, options);  // a refusal throws before anything is remembered
      auto_choice_ = shape;
    }
    mode = auto_choice_->mode;
  }
  std::vector<ForwardResult> results;
  results.reserve(static_cast<size_t>(batch));
  for (int64_t first = 0; first < batch; first += per_forward) {
    const int64_t n = std::min(per_forward, batch - first);
    EngineOptions wanted;
    wanted.batch = n;
    wanted.max_tokens = L;
    wanted.device = options.device;
    wanted.dtype = options.dtype;
    wanted.tile = tile;
    wanted.memory = mode;
    wanted.sequence_chunks = options.sequence_chunks;
    wanted.logits = options.want_logits;
    wanted.comm = ranked ? options.comm : nullptr;
    // The cached engine serves a call whose batch and sequences fit its arena, in the mode planned for this call
    // (so the result does not depend on the calls before it).
    const bool fits = engine_ && engine_->options().device == wanted.device && engine_->options().comm == wanted.comm &&
                      engine_->options().dtype == wanted.dtype && engine_->options().batch >= n &&
                      engine_->options().max_tokens >= L && engine_->options().tile == wanted.tile &&
                      (engine_->options().logits || !wanted.logits) &&
                      engine_->options().sequence_chunks == wanted.sequence_chunks &&
                      engine_->options().memory == wanted.memory;
    if (!fits) {
      engine_.reset();  // its arena goes before the next one is allocated
      engine_ = std::make_unique<Engine>(weights_, wanted);
    }
    std::vector<ForwardResult> part = engine_->forward(ids.subspan(static_cast<size_t>(first * L),
                                                                   static_cast<size_t>(n * L)),
                                                       n, options);
    for (ForwardResult& r : part) results.push_back(std::move(r));
  }
  return results;
}

}  // namespace genomamba::model
