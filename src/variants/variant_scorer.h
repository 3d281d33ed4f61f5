#pragma once
/// The model passes behind `genomamba score` and `genomamba ism` (design §9, docs/scores.md): nucleotide
/// log-probabilities of a window (masked or not) under the strand policy, and mean window embeddings.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/matrix.h"
#include "model/caduceus.h"
#include "model/strand.h"

namespace genomamba::variants {

class VariantScorer {
 public:
  /// @param run where each forward runs, its tile and the memory the plan may plan it for
  VariantScorer(const model::Caduceus& model, model::Strand strand, const model::RunSettings& run);

  /// Log-softmax over the A, C, G, T logits at every position of `ids`: [L, 4] (columns A, C, G, T),
  /// computed in double. Strand BOTH on a PH model: the mean of the forward pass's and the reverse-complement
  /// pass's log-probabilities, the latter aligned to forward positions and bases (so a sum over positions of
  /// it is the mean of the two strands' sums). PS: the forward pass (its RC-equivariance gives the
  /// reverse strand the same values).
  core::Matrix log_probs(std::span<const int32_t> ids) const;
  /// log_probs of `batch` sequences of equal length (ids: [batch, L]) through batched forwards; each result
  /// equals log_probs of its sequence alone, to the last bit.
  std::vector<core::Matrix> log_probs_batch(std::span<const int32_t> ids, int64_t batch) const;

  /// Mean over the window's positions of the final hidden state under the strand policy (FWD: the model's
  /// width; BOTH: d_model), accumulated in double.
  std::vector<double> mean_embedding(std::span<const int32_t> ids) const;

  /// Width of mean_embedding().
  int64_t embedding_width() const;

  /// Model passes behind one log_probs() or mean_embedding() call: 2 for strand BOTH on a PH model, else 1.
  int64_t passes_per_call() const;

 private:
  const model::Caduceus& model_;
  model::Strand strand_;
  model::RunSettings run_;
};

/// Σ_i (log p(alt_i) − log p(ref_i)) over `positions` (rows of `log_probs`, [L, 4]); alt/ref are the
/// bases (ACGT, any case) at those positions, in the same order.
double marginal_llr(const core::Matrix& log_probs, std::span<const int64_t> positions, std::string_view ref,
                    std::string_view alt);

/// 1 − u·v / (|u| |v|); NaN when a norm is 0.
double cosine_distance(std::span<const double> u, std::span<const double> v);
/// |u − v|₂.
double l2_distance(std::span<const double> u, std::span<const double> v);

/// `value` rounded to `digits` significant decimal digits, as float32 (NaN stays NaN). Every output of
/// `score` and `ism` carries scores rounded to 6 digits: what VCF text holds, so .h5, .vcf and .tsv agree.
float round_significant(double value, int digits = 6);

/// Column 0..3 of a base (A, C, G, T, any case); -1 for anything else.
int nucleotide_column(char base);

}  // namespace genomamba::variants
