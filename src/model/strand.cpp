#include "model/strand.h"

#include "core/error.h"
#include "tokenize/dna_tokenizer.h"

namespace genomamba::model {
namespace {

ForwardOptions options_for(const StrandRequest& r) {
  ForwardOptions o = ForwardOptions::with(r.run);
  o.comm = r.comm;
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
StrandResult both_ph(ForwardResult& fwd, ForwardResult& rev, const std::vector<int>& comp, const StrandRequest& r) {
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
StrandResult both_ps(ForwardResult& res, const StrandRequest& r) {
  const core::Matrix h = take_hidden(res, r);  // [L, 2D], [a | b]
  const int64_t L = h.rows(), D = h.cols() / 2;
  StrandResult out;
  out.hidden = core::Matrix(L, D);
  for (int64_t l = 0; l < L; ++l)
    for (int64_t c = 0; c < D; ++c) out.hidden.at(l, c) = 0.5f * (h.at(l, c) + h.at(l, 2 * D - 1 - c));
  if (r.want_logits) out.logits = acgt_columns(res.logits);
  return out;
}

/// FWD: the model's own outputs.
StrandResult forward_strand(ForwardResult& res, const StrandRequest& r) {
  StrandResult out;
  out.hidden = take_hidden(res, r);
  if (r.want_logits) out.logits = acgt_columns(res.logits);
  return out;
}

}  // namespace

StrandResult run_with_strand(const Caduceus& model, std::span<const int32_t> ids, const StrandRequest& request) {
  return std::move(run_with_strand_batch(model, ids, 1, request).front());
}

std::vector<StrandResult> run_with_strand_batch(const Caduceus& model, std::span<const int32_t> ids, int64_t batch,
                                                const StrandRequest& request) {
  const ForwardOptions o = options_for(request);
  std::vector<ForwardResult> fwd = model.forward_batch(ids, batch, o);
  std::vector<StrandResult> out;
  out.reserve(fwd.size());
  if (request.strand == Strand::BOTH && !model.config().rcps) {
    // The reverse-complement pass of every sequence, one batch again: rc of each [L] block of ids.
    const auto& comp = model.config().complement_map;
    const size_t L = ids.size() / static_cast<size_t>(batch);
    std::vector<int32_t> rc_ids;
    rc_ids.reserve(ids.size());
    for (int64_t b = 0; b < batch; ++b) {
      const std::vector<int32_t> rc = tokenize::reverse_complement_ids(ids.subspan(static_cast<size_t>(b) * L, L), comp);
      rc_ids.insert(rc_ids.end(), rc.begin(), rc.end());
    }
    ForwardOptions reverse_pass = o;
    reverse_pass.mirrored = !o.mirrored;  // with ranks: the mirror shards of the reverse complement
    std::vector<ForwardResult> rev = model.forward_batch(rc_ids, batch, reverse_pass);
    for (size_t b = 0; b < fwd.size(); ++b) out.push_back(both_ph(fwd[b], rev[b], comp, request));
  } else {
    for (ForwardResult& res : fwd) {
      out.push_back(request.strand == Strand::BOTH ? both_ps(res, request) : forward_strand(res, request));
    }
  }
  return out;
}

}  // namespace genomamba::model
