#include "model/caduceus.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "core/error.h"
#include "model/bimamba_layer.h"
#include "ops/add_rms_norm.h"
#include "ops/linear.h"
#include "tokenize/dna_tokenizer.h"

namespace genomamba::model {
namespace {

using Buf = std::vector<float>;

/// One residual stream: h (the mixer output / hidden state) and r (the residual sum), both [L, D].
struct Stream {
  Buf h, r;
};

/// out[l] = E[ids[l]]; out: [L, D]
Buf embed(std::span<const int32_t> ids, const CaduceusWeights& w) {
  const int64_t D = w.config.d_model;
  Buf out(ids.size() * static_cast<size_t>(D));
  for (size_t l = 0; l < ids.size(); ++l)
    std::copy_n(w.embedding.begin() + ids[l] * D, D, out.begin() + static_cast<int64_t>(l) * D);
  return out;
}

void add_inplace(Buf& dst, const Buf& src) {
  const auto n = static_cast<int64_t>(dst.size());
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) dst[i] += src[i];
}

/// s.h = RMSNorm_weight(s.r), the residual sum already formed.
void norm_residual(Stream& s, const Buf& weight, const io::ModelConfig& c) {
  s.h.resize(s.r.size());
  ops::AddRmsNormParams p;  // r: [L, D] -> h: [L, D]
  p.n_rows = static_cast<int64_t>(s.r.size()) / c.d_model, p.n_cols = c.d_model, p.eps = c.norm_epsilon;
  p.residual = s.r.data(), p.weight = weight.data(), p.out = s.h.data();
  ops::add_rms_norm(p);
}

/// s.r = s.h (+ s.r when have_residual); s.h = RMSNorm_weight(s.r)   (mamba_ssm fused add + norm)
void add_norm(Stream& s, bool have_residual, const Buf& weight, const io::ModelConfig& c) {
  if (!have_residual) {
    s.r = s.h;
    norm_residual(s, weight, c);
    return;
  }
  ops::AddRmsNormParams p;  // h: [L, D], r: [L, D]
  p.n_rows = static_cast<int64_t>(s.h.size()) / c.d_model, p.n_cols = c.d_model, p.eps = c.norm_epsilon;
  p.x = s.h.data(), p.residual = s.r.data(), p.weight = weight.data(), p.out = s.h.data();
  ops::add_rms_norm(p);
}

/// y (+)= x W^T with x: [L, D], W: [V, D] -> y: [L, V]
void project(const Buf& x, const Buf& weight, core::Matrix& y, int64_t D, bool accumulate) {
  ops::LinearParams p;
  p.n_rows = y.rows(), p.in_features = D, p.out_features = y.cols();
  p.x = x.data(), p.x_stride = D, p.weight = weight.data(), p.y = y.data(), p.y_stride = y.cols();
  p.accumulate = accumulate;
  ops::linear(p);
}

/// A PH hidden state [L, D] as it is.
core::Matrix ph_matrix(const Buf& h, int64_t L, int64_t D) {
  core::Matrix m(L, D);
  std::copy(h.begin(), h.end(), m.data());
  return m;
}

/// A PS hidden state in HF's literal layout [a | b] with a = P, b = RC(Q): [L, 2D].
core::Matrix ps_matrix(const Buf& p, const Buf& q, int64_t L, int64_t D) {
  core::Matrix m(L, 2 * D);
  for (int64_t l = 0; l < L; ++l) {
    std::copy_n(p.begin() + l * D, D, m.row(l));
    const float* q_row = q.data() + (L - 1 - l) * D;
    for (int64_t c = 0; c < D; ++c) m.at(l, D + c) = q_row[D - 1 - c];
  }
  return m;
}

/// The layers' scratch for L tokens in the requested memory mode.
BiMambaScratch make_scratch(const io::ModelConfig& c, int64_t L, const ForwardOptions& o) {
  const bool streaming = o.memory == MemoryMode::AUTO ? BiMambaScratch::use_streaming(L)
                                                      : o.memory == MemoryMode::STREAMING;
  if (o.sequence_chunks < 1) {
    throw ConfigError("sequence_chunks must be >= 1, got " + std::to_string(o.sequence_chunks));
  }
  if (o.sequence_chunks > 1 && streaming) {
    throw ConfigError("chunk composition (sequence_chunks > 1) needs the whole-sequence memory mode");
  }
  return BiMambaScratch(c, L, o.tile, streaming, o.sequence_chunks);
}

/// h = BiMamba(h) through the scratch; `spare` ([L, D], used only in the streaming mode, where the layer
/// cannot write over its input) takes the old h.
void mix(const LayerWeights& lw, const io::ModelConfig& c, Buf& h, Buf& spare, int64_t L, BiMambaScratch& scratch) {
  if (!scratch.streaming) {
    bimamba_forward(lw, c, h.data(), h.data(), L, scratch);
    return;
  }
  spare.resize(h.size());
  bimamba_forward(lw, c, h.data(), spare.data(), L, scratch);
  std::swap(h, spare);
}

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

/// Caduceus-PH (model-spec §2.3).
void forward_ph(const CaduceusWeights& w, std::span<const int32_t> ids, const ForwardOptions& o, ForwardResult& res) {
  const io::ModelConfig& c = w.config;
  const int64_t L = static_cast<int64_t>(ids.size()), D = c.d_model;
  const std::set<int> want = captures(o, c.n_layer);
  Stream s;
  s.h = embed(ids, w);  // h: [L, D]
  if (want.count(0)) res.layer_hidden[0] = ph_matrix(s.h, L, D);
  BiMambaScratch scratch = make_scratch(c, L, o);
  Buf spare;
  for (int k = 0; k < c.n_layer; ++k) {
    const LayerWeights& lw = w.layers[static_cast<size_t>(k)];
    add_norm(s, k > 0, lw.norm, c);        // r += h; h = RMSNorm(r)
    mix(lw, c, s.h, spare, L, scratch);    // h: [L, D]
    if (k + 1 < c.n_layer && want.count(k + 1)) res.layer_hidden[k + 1] = ph_matrix(s.h, L, D);
  }
  add_norm(s, c.n_layer > 0, w.norm_f, c);  // h = norm_f(h + r): [L, D]
  spare = Buf();
  s.r = Buf();  // no longer needed: the memory goes to the outputs
  if (want.count(c.n_layer)) res.layer_hidden[c.n_layer] = ph_matrix(s.h, L, D);
  if (o.want_logits) {
    res.logits = core::Matrix(L, c.vocab_size);  // logits = out E^T: [L, V]
    project(s.h, w.embedding, res.logits, D, false);
  }
  if (o.want_final_hidden) res.final_hidden = core::Matrix(L, D, std::move(s.h));
}

/// PS logits[l, v] = F_P[l] E[v] + F_Q[L-1-l] E[comp v]; consumes q (its rows are reversed).
core::Matrix ps_logits(const CaduceusWeights& w, const Buf& p, Buf& q, int64_t L) {
  const io::ModelConfig& c = w.config;
  const int64_t D = c.d_model, V = c.vocab_size;
  Buf e_comp(static_cast<size_t>(V * D));  // E_comp[v] = E[comp v]: [V, D]
  for (int64_t v = 0; v < V; ++v) std::copy_n(w.embedding.begin() + c.complement_map[v] * D, D, e_comp.begin() + v * D);
  for (int64_t l = 0; l < L / 2; ++l)
    std::swap_ranges(q.begin() + l * D, q.begin() + (l + 1) * D, q.begin() + (L - 1 - l) * D);
  core::Matrix logits(L, V);
  project(p, w.embedding, logits, D, false);
  project(q, e_comp, logits, D, true);
  return logits;
}

/// Caduceus-PS in the two-stream form (model-spec §2.4): P in forward order, Q in RC order (stores RC(b)).
void forward_ps(const CaduceusWeights& w, std::span<const int32_t> ids, const ForwardOptions& o, ForwardResult& res) {
  const io::ModelConfig& c = w.config;
  const int64_t L = static_cast<int64_t>(ids.size()), D = c.d_model;
  const std::set<int> want = captures(o, c.n_layer);
  Stream P, Q;
  P.h = embed(ids, w);                                                      // P_h = E[ids]: [L, D]
  Q.h = embed(tokenize::reverse_complement_ids(ids, c.complement_map), w);  // Q_h = E[rc(ids)]: [L, D]
  if (want.count(0)) res.layer_hidden[0] = ps_matrix(P.h, Q.h, L, D);
  BiMambaScratch scratch = make_scratch(c, L, o);  // shared by both streams
  Buf spare;
  for (int k = 0; k < c.n_layer; ++k) {
    const LayerWeights& lw = w.layers[static_cast<size_t>(k)];
    // P_s = P_h + P_r, Q_s = Q_h + Q_r; then P_r, Q_r = RC(Q_s), RC(P_s) (the fused-path swap quirk)
    if (k == 0) {
      P.r = P.h, Q.r = Q.h;
    } else {
      add_inplace(P.r, P.h), add_inplace(Q.r, Q.h);
    }
    std::swap(P.r, Q.r);
    std::reverse(P.r.begin(), P.r.end());  // RC of a row-major [L, D] buffer = reversal of the flat array
    std::reverse(Q.r.begin(), Q.r.end());
    norm_residual(P, lw.norm, c);  // P_h = RMSNorm(P_r): [L, D]
    norm_residual(Q, lw.norm, c);  // Q_h = RMSNorm(Q_r): [L, D]
    mix(lw, c, P.h, spare, L, scratch);  // P_h: [L, D]
    mix(lw, c, Q.h, spare, L, scratch);  // Q_h: [L, D]
    if (k + 1 < c.n_layer && want.count(k + 1)) res.layer_hidden[k + 1] = ps_matrix(P.h, Q.h, L, D);
  }
  add_norm(P, c.n_layer > 0, w.norm_f, c);  // F_P = norm_f(P_h + P_r), no swap
  add_norm(Q, c.n_layer > 0, w.norm_f, c);  // F_Q = norm_f(Q_h + Q_r)
  if (want.count(c.n_layer)) res.layer_hidden[c.n_layer] = ps_matrix(P.h, Q.h, L, D);
  if (o.want_final_hidden) res.final_hidden = ps_matrix(P.h, Q.h, L, D);
  if (o.want_logits) res.logits = ps_logits(w, P.h, Q.h, L);
}

}  // namespace

Caduceus::Caduceus(CaduceusWeights weights) : weights_(std::move(weights)) {
  const io::ModelConfig& c = weights_.config;
  GM_CHECK(static_cast<int>(weights_.layers.size()) == c.n_layer, "weights.layers must have n_layer entries");
  GM_CHECK(weights_.embedding.size() == static_cast<size_t>(c.vocab_size) * c.d_model,
           "weights.embedding must have shape [vocab_size, d_model]");
}

Caduceus Caduceus::load(const std::filesystem::path& dir) { return Caduceus(load_weights(dir)); }

int Caduceus::hidden_width() const {
  return weights_.config.rcps ? 2 * weights_.config.d_model : weights_.config.d_model;
}

ForwardResult Caduceus::forward(std::span<const int32_t> ids, const ForwardOptions& options) const {
  if (options.tile < 1) throw ConfigError("tile must be >= 1, got " + std::to_string(options.tile));
  const int V = weights_.config.vocab_size;
  for (int32_t id : ids) GM_CHECK(id >= 0 && id < V, "ids must be in 0..vocab_size-1");
  ForwardResult res;
  if (weights_.config.rcps)
    forward_ps(weights_, ids, options, res);
  else
    forward_ph(weights_, ids, options, res);
  return res;
}

}  // namespace genomamba::model
