#include "model/engine.h"

#include <set>
#include <string>
#include <utility>

#include "core/buffer.h"
#include "core/error.h"
#include "ops/add_rms_norm.h"
#include "ops/embedding_gather.h"
#include "ops/linear.h"
#include "ops/residual_add.h"
#include "ops/reverse_rows.h"

namespace genomamba::model {
namespace {

/// Which HF hidden_states[K] to keep, validated against n_layer.
std::set<int> captures(const ForwardOptions& options, int n_layer) {
  std::set<int> out;
  for (int k : options.capture_layers) {
    if (k < 0 || k > n_layer)
      throw ConfigError("hidden_states index " + std::to_string(k) + " is out of range 0.." + std::to_string(n_layer));
    out.insert(k);
  }
  return out;
}

}  // namespace

int64_t default_tile(core::Device device) { return device.is_cpu() ? 2048 : int64_t{1} << 20; }

bool streaming_for(const EngineOptions& o) {
  GM_CHECK(o.memory != MemoryMode::AUTO, "EngineOptions::memory: AUTO is resolved by the memory plan first");
  const bool streaming = o.memory == MemoryMode::STREAMING;
  if (o.sequence_chunks > 1 && streaming) {
    throw ConfigError("chunk composition (sequence_chunks > 1) needs the whole-sequence memory mode");
  }
  return streaming;
}

Engine::Engine(const io::ModelConfig& config, const EngineOptions& options, bool streaming)
    : config_(config), options_(options), streaming_(streaming) {}

size_t Engine::scratch_bytes(const io::ModelConfig& config, const EngineOptions& options) {
  Engine layout(config, options, streaming_for(options));
  core::Arena measure;
  layout.carve(measure);
  return measure.used_bytes();
}

Engine::Engine(const CaduceusWeights& weights, const EngineOptions& options)
    : config_(weights.config), options_(options) {
  if (options.tile < 1) throw ConfigError("tile must be >= 1, got " + std::to_string(options.tile));
  if (options.sequence_chunks < 1) {
    throw ConfigError("sequence_chunks must be >= 1, got " + std::to_string(options.sequence_chunks));
  }
  GM_CHECK(options.batch >= 1 && options.max_tokens >= 0, "Engine: batch must be >= 1 and max_tokens >= 0");
  if (options.dtype != core::DType::F32) {
    throw ConfigError(std::string("activations in ") + core::dtype_name(options.dtype) +
                      " are not implemented yet; use --dtype f32");
  }
  streaming_ = streaming_for(options);
  weights_.emplace(weights, options.device);
  core::Arena measure;
  carve(measure);
  arena_ = core::Arena(options.device, measure.used_floats());
  carve(arena_);
  device_context_.emplace(options.device, options.dtype, blas_workspace_);
  ctx_ = device_context_->context();
}

void Engine::carve(core::Arena& arena) {
  const int64_t B = options_.batch, L = options_.max_tokens, D = config_.d_model;
  const bool gpu = !options_.device.is_cpu();
  const auto blas_floats = static_cast<int64_t>(ops::DeviceContext::blas_workspace_bytes(options_.device) / sizeof(float));
  blas_workspace_ = arena.take(blas_floats);
  logits_ = gpu && options_.logits ? arena.take(L * config_.vocab_size) : nullptr;
  ids_ = reinterpret_cast<int32_t*>(arena.take(B * L));
  streams_.assign(config_.rcps ? 2 : 1, Stream{});
  h_home_.assign(streams_.size(), nullptr);
  for (size_t i = 0; i < streams_.size(); ++i) {
    h_home_[i] = i == 0 && options_.device.is_cpu() ? nullptr : arena.take(B * L * D);  // CPU: host_h_
    streams_[i].r = arena.take(B * L * D);
  }
  spare_home_ = streaming_ ? arena.take(B * L * D) : nullptr;
  MixerShape shape;
  shape.batch = B, shape.max_tokens = L, shape.tile = options_.tile, shape.streaming = streaming_;
  shape.chunks = options_.sequence_chunks, shape.device = options_.device, shape.comm = options_.comm;
  mixer_.emplace(config_, shape, arena);
}

void Engine::pre_norm(int k, int64_t batch, int64_t L) {
  const int64_t rows = batch * L, D = config_.d_model;
  const LayerTensors& lw = weights_->layer(k);
  ops::AddRmsNormParams norm;  // r: [B L, D] -> h: [B L, D]
  norm.n_rows = rows, norm.n_cols = D, norm.eps = config_.norm_epsilon, norm.weight = lw.norm, norm.ctx = ctx_;
  if (!config_.rcps) {  // PH: r = h (+ r); h = RMSNorm(r), fused (mamba_ssm's fused add + norm)
    Stream& s = streams_[0];
    if (k == 0) core::copy_floats(ctx_.device, s.r, s.h, rows * D);
    norm.x = k == 0 ? nullptr : s.h, norm.residual = s.r, norm.out = s.h;
    ops::add_rms_norm(norm);
    return;
  }
  // PS: P_s = P_h + P_r, Q_s = Q_h + Q_r; then P_r, Q_r = RC(Q_s), RC(P_s); then P_h, Q_h = RMSNorm of each.
  for (Stream& s : streams_) {
    if (k == 0) {
      core::copy_floats(ctx_.device, s.r, s.h, rows * D);
    } else {
      ops::ResidualAddParams add;  // r += h: [B L, D]
      add.n_rows = rows, add.n_cols = D, add.x = s.h, add.y = s.r, add.ctx = ctx_;
      ops::residual_add(add);
    }
  }
  std::swap(streams_[0].r, streams_[1].r);
  for (Stream& s : streams_) {
    ops::ReverseRowsParams rc;  // r = RC(r) in place: rows and channels reversed, per sequence
    rc.n_batch = batch, rc.n_rows = L, rc.n_cols = D, rc.ctx = ctx_;
    rc.in = rc.out = s.r, rc.in_stride = rc.out_stride = D, rc.in_batch_stride = rc.out_batch_stride = L * D;
    rc.reverse = true, rc.reverse_cols = true;
    ops::reverse_rows(rc);
    norm.x = nullptr, norm.residual = s.r, norm.out = s.h;
    ops::add_rms_norm(norm);
  }
}

void Engine::mix(int k, int64_t batch, int64_t L, bool mirrored) {
  for (size_t i = 0; i < streams_.size(); ++i) {
    Stream& s = streams_[i];
    // PS's second stream is the reverse complement: its shards follow one another in reverse rank order.
    const bool descending = mirrored != (i == 1);
    const ShardOrder order = descending ? ShardOrder::DESCENDING : ShardOrder::ASCENDING;
    if (!streaming_) {
      bimamba_forward(weights_->layer(k), config_, ctx_, s.h, s.h, batch, L, *mixer_, order);
    } else {
      bimamba_forward(weights_->layer(k), config_, ctx_, s.h, spare_, batch, L, *mixer_, order);
      std::swap(s.h, spare_);
    }
  }
}

// The outputs go into host matrices: on the CPU the ops write them there (device memory is host memory); a GPU
// engine downloads them.
void Engine::write_hidden(int64_t b, int64_t L, float* out) {
  const int64_t D = config_.d_model, W = config_.rcps ? 2 * D : D;
  if (!options_.device.is_cpu()) {
    core::download_rows(options_.device, out, W, streams_[0].h + b * L * D, D, L, D);  // P (or PH's h)
    if (!config_.rcps) return;
    ops::ReverseRowsParams rc;  // RC(Q) in place, downloaded into out[:, D..2D-1], and back (an involution)
    rc.n_rows = L, rc.n_cols = D, rc.ctx = ctx_, rc.in = rc.out = streams_[1].h + b * L * D;
    rc.in_stride = rc.out_stride = D, rc.reverse = true, rc.reverse_cols = true;
    ops::reverse_rows(rc);
    core::download_rows(options_.device, out + D, W, rc.out, D, L, D);
    ops::reverse_rows(rc);
    return;
  }
  ops::ReverseRowsParams copy;  // P (or PH's h) as it is: [L, D] -> out[:, 0..D-1]
  copy.n_rows = L, copy.n_cols = D, copy.ctx = ctx_;
  copy.in = streams_[0].h + b * L * D, copy.in_stride = D, copy.out = out, copy.out_stride = W;
  copy.reverse = false;
  ops::reverse_rows(copy);
  if (!config_.rcps) return;
  ops::ReverseRowsParams rc = copy;  // b = RC(Q): [L, D] -> out[:, D..2D-1]
  rc.in = streams_[1].h + b * L * D, rc.out = out + D, rc.reverse = true, rc.reverse_cols = true;
  ops::reverse_rows(rc);
}

void Engine::write_logits(int64_t b, int64_t L, float* out) {
  const int64_t D = config_.d_model, V = config_.vocab_size;
  const bool gpu = !options_.device.is_cpu();
  GM_CHECK(!gpu || logits_ != nullptr, "Engine: logits asked of a GPU engine built without EngineOptions::logits");
  const auto download = [&] {
    if (gpu) core::download_rows(options_.device, out, V, logits_, V, L, V);
  };
  ops::LinearParams head;  // logits = h E^T: [L, D] -> [L, V] (the LM head tied to the embedding)
  head.n_rows = L, head.in_features = D, head.out_features = V, head.ctx = ctx_;
  head.x = streams_[0].h + b * L * D, head.x_stride = D, head.weight = weights_->embedding();
  head.y = gpu ? logits_ : out, head.y_stride = V;
  ops::linear(head);
  if (!config_.rcps) return download();
  // PS: logits[l, v] += F_Q[L-1-l] E[comp v]; F_Q's rows reversed in place first.
  float* q = streams_[1].h + b * L * D;
  ops::ReverseRowsParams flip;
  flip.n_rows = L, flip.n_cols = D, flip.ctx = ctx_, flip.in = flip.out = q, flip.in_stride = flip.out_stride = D;
  ops::reverse_rows(flip);
  head.x = q, head.weight = weights_->embedding_complement(), head.accumulate = true;
  ops::linear(head);
  download();
}

std::vector<ForwardResult> Engine::forward(std::span<const int32_t> ids, int64_t batch, const ForwardOptions& o) {
  GM_CHECK(batch >= 1 && batch <= options_.batch, "Engine::forward: batch must be in 1..options.batch");
  GM_CHECK(ids.size() % static_cast<size_t>(batch) == 0, "Engine::forward: ids must hold batch equal sequences");
  const int64_t L = static_cast<int64_t>(ids.size()) / batch, D = config_.d_model;
  GM_CHECK(L <= options_.max_tokens, "Engine::forward: sequences longer than options.max_tokens");
  GM_CHECK(!o.want_logits || options_.device.is_cpu() || options_.logits,
           "Engine::forward: logits asked of a GPU engine built without EngineOptions::logits");
  const int n_layer = config_.n_layer;
  const std::set<int> want = captures(o, n_layer);
  std::vector<ForwardResult> results(static_cast<size_t>(batch));
  const int64_t W = config_.rcps ? 2 * D : D;
  const auto capture = [&](int k) {
    if (!want.count(k)) return;
    for (int64_t b = 0; b < batch; ++b) {
      core::Matrix m(L, W);
      write_hidden(b, L, m.data());
      results[static_cast<size_t>(b)].layer_hidden[k] = std::move(m);
    }
  };
  const bool ranked = options_.comm != nullptr && options_.comm->size() > 1;
  if (L == 0 && !ranked) {  // an empty shard of a ranked run still takes part in every layer's exchanges
    for (ForwardResult& r : results) {
      if (o.want_final_hidden) r.final_hidden = core::Matrix(0, W);
      if (o.want_logits) r.logits = core::Matrix(0, config_.vocab_size);
    }
    for (int k : want) capture(k);
    return results;
  }

  if (options_.device.is_cpu()) host_h_.assign(static_cast<size_t>(batch * L * D), 0.0f);
  for (size_t i = 0; i < streams_.size(); ++i) streams_[i].h = h_home_[i] ? h_home_[i] : host_h_.data();
  spare_ = spare_home_;
  core::upload_bytes(ctx_.device, ids_, ids.data(), ids.size_bytes());
  for (size_t i = 0; i < streams_.size(); ++i) {
    ops::EmbeddingGatherParams embed;  // P_h = E[ids]; Q_h = E[rc(ids)]: [B L, D]
    embed.n_batch = batch, embed.n_tokens = L, embed.n_cols = D, embed.n_table_rows = config_.vocab_size;
    embed.ids = ids_, embed.ids_batch_stride = L, embed.table = weights_->embedding(), embed.out = streams_[i].h;
    embed.complement = weights_->complement(), embed.reverse_complement = i == 1, embed.ctx = ctx_;
    ops::embedding_gather(embed);
  }
  capture(0);
  for (int k = 0; k < n_layer; ++k) {  // the layer loop
    pre_norm(k, batch, L);
    mix(k, batch, L, o.mirrored);
    if (k + 1 < n_layer) capture(k + 1);
  }
  for (Stream& s : streams_) {  // h = norm_f(h + r), no swap
    if (n_layer == 0) core::copy_floats(ctx_.device, s.r, s.h, batch * L * D);
    ops::AddRmsNormParams norm;
    norm.n_rows = batch * L, norm.n_cols = D, norm.eps = config_.norm_epsilon, norm.weight = weights_->norm_f();
    norm.x = n_layer > 0 ? s.h : nullptr, norm.residual = s.r, norm.out = s.h, norm.ctx = ctx_;
    ops::add_rms_norm(norm);
  }
  capture(n_layer);
  // One PH sequence on the CPU: its final hidden state is handed over (the streaming mode may have left it in
  // the spare region: it is copied home first). Logits are computed before, from the same rows.
  const bool hand_over = options_.device.is_cpu() && batch == 1 && !config_.rcps && o.want_final_hidden;
  if (hand_over && o.want_logits) {
    results[0].logits = core::Matrix(L, config_.vocab_size);
    write_logits(0, L, results[0].logits.data());
  }
  if (hand_over) {
    if (streams_[0].h != host_h_.data()) core::copy_floats(ctx_.device, host_h_.data(), streams_[0].h, L * D);
    results[0].final_hidden = core::Matrix(L, D, std::move(host_h_));
    host_h_ = std::vector<float>();
    return results;
  }
  for (int64_t b = 0; b < batch; ++b) {
    ForwardResult& r = results[static_cast<size_t>(b)];
    if (o.want_final_hidden) {
      r.final_hidden = core::Matrix(L, W);
      write_hidden(b, L, r.final_hidden.data());
    }
    if (o.want_logits) {
      r.logits = core::Matrix(L, config_.vocab_size);
      write_logits(b, L, r.logits.data());
    }
  }
  return results;
}

}  // namespace genomamba::model
