// `genomamba score`, the compute stage: the model passes of a batch and the four scores (design §9,
// docs/scores.md). Reference passes are shared by every variant of their window.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "score_internal.h"
#include "tokenize/dna_tokenizer.h"

namespace genomamba::apps::score {

namespace {

using output::ScoreKind;

// Reference passes kept between batches: variants sorted by position reuse the last few windows.
constexpr size_t kCachedWindows = 4;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The positions where REF and ALT differ, relative to a window starting at `window_start`, with their
// bases; false when llr / wt_llr is undefined (unequal lengths, no difference, a non-ACGT REF base there,
// or a position outside the window).
bool differing_positions(const AllelePlan& plan, const variants::Span& window, std::vector<int64_t>& positions,
                         std::string& ref, std::string& alt) {
  positions.clear();
  ref.clear();
  alt.clear();
  if (plan.ref.size() != plan.alt.size()) return false;
  for (size_t i = 0; i < plan.ref.size(); ++i) {
    if (plan.ref[i] == plan.alt[i]) continue;
    const int64_t at = plan.pos + static_cast<int64_t>(i) - window.start;
    if (variants::nucleotide_column(plan.ref[i]) < 0 || at < 0 || at >= window.length) return false;
    positions.push_back(at);
    ref.push_back(plan.ref[i]);
    alt.push_back(plan.alt[i]);
  }
  return !positions.empty();
}

template <typename Value>
void remember(std::map<WindowKey, Value>& cache, std::vector<WindowKey>& order, const WindowKey& key, Value value) {
  if (order.size() == kCachedWindows) {
    cache.erase(order.front());
    order.erase(order.begin());
  }
  cache.emplace(key, std::move(value));
  order.push_back(key);
}

}  // namespace

model::MemoryPlan plan_scoring(const model::Caduceus& model, model::Strand strand, int64_t window,
                               const JobOptions& job) {
  model::PlanRequest r = model::PlanRequest::with(job.run);
  r.window = window, r.batch = 1;
  r.want_final_hidden = true, r.want_logits = true;
  r.passes = strand == model::Strand::BOTH && !model.config().rcps ? 2 : 1;
  r.command_bytes = 2 * static_cast<int64_t>(kCachedWindows) * window * 16;  // cached log-probabilities
  return model::plan_memory(model.weights(), r);
}

ScoreComputer::ScoreComputer(const model::Caduceus& model, model::Strand strand, const model::RunSettings& run,
                             const std::vector<ScoreKind>& scores, bool save_embeddings)
    : scorer_(model, strand, run), scores_(scores), save_embeddings_(save_embeddings) {}

const core::Matrix& ScoreComputer::reference_log_probs(const WindowKey& key, const std::string& bases) {
  const auto it = log_probs_cache_.find(key);
  if (it != log_probs_cache_.end()) return it->second;
  tokens_ += scorer_.passes_per_call() * static_cast<int64_t>(bases.size());
  remember(log_probs_cache_, log_probs_order_, key, scorer_.log_probs(tokenize::encode(bases)));
  return log_probs_cache_.at(key);
}

std::vector<core::Matrix> ScoreComputer::masked_log_probs(const std::vector<MaskedPass>& passes) {
  std::vector<core::Matrix> out;
  for (size_t first = 0; first < passes.size();) {
    const size_t length = passes[first].bases->size();
    size_t last = first + 1;
    while (last < passes.size() && passes[last].bases->size() == length) ++last;
    std::vector<int32_t> ids;
    ids.reserve((last - first) * length);
    for (size_t p = first; p < last; ++p) {
      std::vector<int32_t> one = tokenize::encode(*passes[p].bases);
      for (int64_t at : passes[p].masked) one[static_cast<size_t>(at)] = tokenize::kMaskId;
      ids.insert(ids.end(), one.begin(), one.end());
    }
    tokens_ += scorer_.passes_per_call() * static_cast<int64_t>(ids.size());
    for (core::Matrix& m : scorer_.log_probs_batch(ids, static_cast<int64_t>(last - first))) out.push_back(std::move(m));
    first = last;
  }
  return out;
}

const std::vector<double>& ScoreComputer::reference_embedding(const WindowKey& key, const std::string& bases) {
  const auto it = embedding_cache_.find(key);
  if (it != embedding_cache_.end()) return it->second;
  tokens_ += scorer_.passes_per_call() * static_cast<int64_t>(bases.size());
  remember(embedding_cache_, embedding_order_, key, scorer_.mean_embedding(tokenize::encode(bases)));
  return embedding_cache_.at(key);
}

int64_t ScoreComputer::compute(ScoreWork& work) {
  output::VariantBatch& b = work.batch;
  const int64_t n_rows = b.n_variant_rows();
  const auto n_scores = static_cast<int64_t>(scores_.size());
  const int64_t before = tokens_;
  b.scores = core::Matrix(n_rows, n_scores);
  for (int64_t i = 0; i < b.scores.size(); ++i) b.scores.data()[i] = static_cast<float>(kNaN);
  const int64_t width = scorer_.embedding_width();
  if (save_embeddings_) {
    b.ref_embedding = core::Matrix(n_rows, width);
    b.alt_embedding = core::Matrix(n_rows, width);
    for (core::Matrix* m : {&b.ref_embedding, &b.alt_embedding})
      for (int64_t i = 0; i < m->size(); ++i) m->data()[i] = static_cast<float>(kNaN);
  }

  std::vector<int64_t> positions;
  std::string ref, alt;
  // The masked passes of the batch's llr scores first, all together: one per run of variants with the same
  // window and masked positions (the alleles of a multi-allelic SNV share one).
  std::vector<size_t> masked_of(work.plans.size(), 0);
  std::vector<core::Matrix> masked;
  if (std::find(scores_.begin(), scores_.end(), ScoreKind::LLR) != scores_.end()) {
    std::vector<MaskedPass> passes;
    const WindowKey* last_window = nullptr;
    for (size_t i = 0; i < work.plans.size(); ++i) {
      const AllelePlan& plan = work.plans[i];
      if (!differing_positions(plan, plan.centred.span, positions, ref, alt)) continue;
      const bool same = last_window && !(plan.centred < *last_window) && !(*last_window < plan.centred) &&
                        positions == passes.back().masked;
      if (!same) passes.push_back({&work.bases.at(plan.centred), positions});
      last_window = &plan.centred;
      masked_of[i] = passes.size() - 1;
    }
    masked = masked_log_probs(passes);
  }
  for (size_t i = 0; i < work.plans.size(); ++i) {
    const AllelePlan& plan = work.plans[i];
    std::vector<double> ref_embedding, alt_embedding;
    for (int64_t s = 0; s < n_scores; ++s) {
      double value = kNaN;
      switch (scores_[static_cast<size_t>(s)]) {
        case ScoreKind::LLR:
          if (differing_positions(plan, plan.centred.span, positions, ref, alt)) {
            value = variants::marginal_llr(masked[masked_of[i]], positions, ref, alt);
          }
          break;
        case ScoreKind::WT_LLR:
          if (differing_positions(plan, plan.grid.span, positions, ref, alt)) {
            value = variants::marginal_llr(reference_log_probs(plan.grid, work.bases.at(plan.grid)), positions, ref, alt);
          }
          break;
        case ScoreKind::EMB_COS:
        case ScoreKind::EMB_L2:
          if (ref_embedding.empty()) {
            ref_embedding = reference_embedding(plan.centred, work.bases.at(plan.centred));
            tokens_ += scorer_.passes_per_call() * static_cast<int64_t>(plan.alt_window.size());
            alt_embedding = scorer_.mean_embedding(tokenize::encode(plan.alt_window));
          }
          value = scores_[static_cast<size_t>(s)] == ScoreKind::EMB_COS
                      ? variants::cosine_distance(ref_embedding, alt_embedding)
                      : variants::l2_distance(ref_embedding, alt_embedding);
          break;
      }
      b.scores.at(plan.row, s) = variants::round_significant(value);
    }
    if (save_embeddings_) {
      if (ref_embedding.empty()) {  // no emb_* score asked for: compute them for the file
        ref_embedding = reference_embedding(plan.centred, work.bases.at(plan.centred));
        tokens_ += scorer_.passes_per_call() * static_cast<int64_t>(plan.alt_window.size());
        alt_embedding = scorer_.mean_embedding(tokenize::encode(plan.alt_window));
      }
      for (int64_t c = 0; c < width; ++c) {
        b.ref_embedding.at(plan.row, c) = static_cast<float>(ref_embedding[static_cast<size_t>(c)]);
        b.alt_embedding.at(plan.row, c) = static_cast<float>(alt_embedding[static_cast<size_t>(c)]);
      }
    }
  }
  return tokens_ - before;
}

}  // namespace genomamba::apps::score
