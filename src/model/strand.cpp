#include "model/strand.h"

#include "core/error.h"
#include "tokenize/dna_tokenizer.h"

namespace genomamba::model {
namespace {

ForwardOptions options_for(const StrandRequest& r) {
  ForwardOptions o;
  o.tile = r.tile;
  o.want_final_hidden = !r.layer.has_value();
  o.want_logits = r.want_logits;
  if (r.layer) o.capture_layers = {*r.layer};
  return o;
}

/// The requested hidden state of a forward result (HF layout).
core::Matrix take_hidden(ForwardResult& res, const StrandRequest& r) {
  return r.layer ? std::move(res.layer_hidden.at(*r.layer)) : std::move(res.final_hidden);
}

/// HF logits columns of A, C, G, T: [L, V] -> [L, 4]
core::Matrix acgt_columns(const core::Matrix& logits) {
  core::Matrix out(logits.rows(), 4);
  for (int64_t l = 0; l < logits.rows(); ++l)
    for (int j = 0; j < 4; ++j) out.at(l, j) = logits.at(l, tokenize::kNucleotideIds[j]);
  return out;
}

/// PH, BOTH: average with a second pass on the reverse complement, aligned to forward positions.
StrandResult both_ph(const Caduceus& model, std::span<const int32_t> ids, const StrandRequest& r) {
  const auto& comp = model.config().complement_map;
  const ForwardOptions o = options_for(r);
  ForwardResult fwd = model.forward(ids, o);
  ForwardResult rev = model.forward(tokenize::reverse_complement_ids(ids, comp), o);
  const core::Matrix hf = take_hidden(fwd, r), hr = take_hidden(rev, r);  // [L, D] each
  const int64_t L = hf.rows(), D = hf.cols();
  StrandResult out;
  out.hidden = core::Matrix(L, D);
  for (int64_t l = 0; l < L; ++l)
    for (int64_t c = 0; c < D; ++c) out.hidden.at(l, c) = 0.5f * (hf.at(l, c) + hr.at(L - 1 - l, c));
  if (r.want_logits) {
    out.logits = core::Matrix(L, 4);
    for (int64_t l = 0; l < L; ++l)
      for (int j = 0; j < 4; ++j) {
        const int v = tokenize::kNucleotideIds[j];
        out.logits.at(l, j) = 0.5f * (fwd.logits.at(l, v) + rev.logits.at(L - 1 - l, comp[static_cast<size_t>(v)]));
      }
  }
  return out;
}

/// PS, BOTH: one pass; average a[l] with the channel-reversed b[l].
StrandResult both_ps(const Caduceus& model, std::span<const int32_t> ids, const StrandRequest& r) {
  ForwardResult res = model.forward(ids, options_for(r));
  const core::Matrix h = take_hidden(res, r);  // [L, 2D], [a | b]
  const int64_t L = h.rows(), D = h.cols() / 2;
  StrandResult out;
  out.hidden = core::Matrix(L, D);
  for (int64_t l = 0; l < L; ++l)
    for (int64_t c = 0; c < D; ++c) out.hidden.at(l, c) = 0.5f * (h.at(l, c) + h.at(l, 2 * D - 1 - c));
  if (r.want_logits) out.logits = acgt_columns(res.logits);
  return out;
}

}  // namespace

StrandResult run_with_strand(const Caduceus& model, std::span<const int32_t> ids, const StrandRequest& request) {
  if (request.strand == Strand::BOTH) {
    return model.config().rcps ? both_ps(model, ids, request) : both_ph(model, ids, request);
  }
  ForwardResult res = model.forward(ids, options_for(request));
  StrandResult out;
  out.hidden = take_hidden(res, request);
  if (request.want_logits) out.logits = acgt_columns(res.logits);
  return out;
}

}  // namespace genomamba::model
