#include "variants/variant_scorer.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <utility>

#include "core/error.h"
#include "tokenize/dna_tokenizer.h"

namespace genomamba::variants {

namespace {

// log-softmax over the A, C, G, T logits of row `l` (vocabulary columns 7..10) into out[0..3].
void nucleotide_log_softmax(const core::Matrix& logits, int64_t l, double out[4]) {
  double maximum = -std::numeric_limits<double>::infinity();
  for (int j = 0; j < 4; ++j) {
    out[j] = logits.at(l, tokenize::kNucleotideIds[j]);
    maximum = std::max(maximum, out[j]);
  }
  double sum = 0.0;
  for (int j = 0; j < 4; ++j) sum += std::exp(out[j] - maximum);
  const double log_sum = maximum + std::log(sum);
  for (int j = 0; j < 4; ++j) out[j] -= log_sum;
}

double dot(std::span<const double> u, std::span<const double> v) {
  double sum = 0.0;
  for (size_t i = 0; i < u.size(); ++i) sum += u[i] * v[i];
  return sum;
}

}  // namespace

VariantScorer::VariantScorer(const model::Caduceus& model, model::Strand strand, const model::RunSettings& run)
    : model_(model), strand_(strand), run_(run) {}

core::Matrix VariantScorer::log_probs(std::span<const int32_t> ids) const {
  return std::move(log_probs_batch(ids, 1).front());
}

std::vector<core::Matrix> VariantScorer::log_probs_batch(std::span<const int32_t> ids, int64_t batch) const {
  model::ForwardOptions options = model::ForwardOptions::with(run_);
  options.want_final_hidden = false;
  options.want_logits = true;
  const std::vector<model::ForwardResult> fwd = model_.forward_batch(ids, batch, options);
  const auto L = static_cast<int64_t>(ids.size()) / batch;
  const bool both_passes = strand_ == model::Strand::BOTH && !model_.config().rcps;
  std::vector<core::Matrix> out;
  double lp[4];
  for (const model::ForwardResult& f : fwd) {
    core::Matrix m(L, 4);
    for (int64_t l = 0; l < L; ++l) {
      nucleotide_log_softmax(f.logits, l, lp);
      for (int j = 0; j < 4; ++j) m.at(l, j) = static_cast<float>(both_passes ? 0.5 * lp[j] : lp[j]);
    }
    out.push_back(std::move(m));
  }
  if (!both_passes) return out;
  // Reverse strand: its position L-1-l reads the complement of base j at forward position l; A,C,G,T
  // columns reversed are the complements T,G,C,A. The reverse complements of all the sequences, one batch.
  std::vector<int32_t> rc_ids;
  rc_ids.reserve(ids.size());
  for (int64_t b = 0; b < batch; ++b) {
    const std::vector<int32_t> rc = tokenize::reverse_complement_ids(
        ids.subspan(static_cast<size_t>(b * L), static_cast<size_t>(L)), model_.config().complement_map);
    rc_ids.insert(rc_ids.end(), rc.begin(), rc.end());
  }
  const std::vector<model::ForwardResult> rev = model_.forward_batch(rc_ids, batch, options);
  for (int64_t b = 0; b < batch; ++b) {
    core::Matrix& m = out[static_cast<size_t>(b)];
    for (int64_t l = 0; l < L; ++l) {
      nucleotide_log_softmax(rev[static_cast<size_t>(b)].logits, L - 1 - l, lp);
      for (int j = 0; j < 4; ++j) m.at(l, j) += static_cast<float>(0.5 * lp[3 - j]);
    }
  }
  return out;
}

std::vector<double> VariantScorer::mean_embedding(std::span<const int32_t> ids) const {
  model::StrandRequest request;
  request.strand = strand_;
  request.run = run_;
  const model::StrandResult result = model::run_with_strand(model_, ids, request);
  std::vector<double> mean(static_cast<size_t>(result.hidden.cols()), 0.0);
  for (int64_t l = 0; l < result.hidden.rows(); ++l) {
    const float* row = result.hidden.row(l);
    for (size_t c = 0; c < mean.size(); ++c) mean[c] += row[c];
  }
  for (double& m : mean) m /= static_cast<double>(result.hidden.rows());
  return mean;
}

int64_t VariantScorer::embedding_width() const {
  return strand_ == model::Strand::FWD ? model_.hidden_width() : model_.config().d_model;
}

int64_t VariantScorer::passes_per_call() const {
  return strand_ == model::Strand::BOTH && !model_.config().rcps ? 2 : 1;
}

int nucleotide_column(char base) {
  switch (base) {
    case 'A': case 'a': return 0;
    case 'C': case 'c': return 1;
    case 'G': case 'g': return 2;
    case 'T': case 't': return 3;
    default: return -1;
  }
}

double marginal_llr(const core::Matrix& log_probs, std::span<const int64_t> positions, std::string_view ref,
                    std::string_view alt) {
  GM_CHECK(positions.size() == ref.size() && positions.size() == alt.size(), "one REF and ALT base per position");
  double sum = 0.0;
  for (size_t i = 0; i < positions.size(); ++i) {
    const int r = nucleotide_column(ref[i]), a = nucleotide_column(alt[i]);
    GM_CHECK(r >= 0 && a >= 0 && positions[i] >= 0 && positions[i] < log_probs.rows(),
             "llr positions must lie in the window and have ACGT bases");
    sum += static_cast<double>(log_probs.at(positions[i], a)) - log_probs.at(positions[i], r);
  }
  return sum;
}

double cosine_distance(std::span<const double> u, std::span<const double> v) {
  GM_CHECK(u.size() == v.size(), "embeddings must have equal widths");
  const double nu = std::sqrt(dot(u, u)), nv = std::sqrt(dot(v, v));
  if (nu == 0.0 || nv == 0.0) return std::numeric_limits<double>::quiet_NaN();
  // 1 - cos(u, v) written as half the squared distance of the unit vectors: the same value, but exactly 0
  // when u and v are equal (1 - u.v/(|u||v|) leaves a rounding residue of ~1e-16 there).
  double sum = 0.0;
  for (size_t i = 0; i < u.size(); ++i) {
    const double d = u[i] / nu - v[i] / nv;
    sum += d * d;
  }
  return 0.5 * sum;
}

double l2_distance(std::span<const double> u, std::span<const double> v) {
  GM_CHECK(u.size() == v.size(), "embeddings must have equal widths");
  double sum = 0.0;
  for (size_t i = 0; i < u.size(); ++i) sum += (u[i] - v[i]) * (u[i] - v[i]);
  return std::sqrt(sum);
}

float round_significant(double value, int digits) {
  if (!std::isfinite(value)) return static_cast<float>(value);
  char text[64];
  std::snprintf(text, sizeof text, "%.*g", digits, value);
  return std::strtof(text, nullptr);
}

}  // namespace genomamba::variants
