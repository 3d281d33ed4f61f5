#include "output/variant_batch.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/error.h"

namespace genomamba::output {

namespace {

constexpr std::array<ScoreKind, 4> kAllScores = {ScoreKind::LLR, ScoreKind::WT_LLR, ScoreKind::EMB_COS,
                                                 ScoreKind::EMB_L2};
constexpr const char* kChoices = "(choose from llr, wt_llr, emb_cos, emb_l2)";

std::string trim(const std::string& s) {
  size_t begin = 0, end = s.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(s[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(s[end - 1]))) --end;
  return s.substr(begin, end - begin);
}

}  // namespace

const char* score_name(ScoreKind kind) {
  switch (kind) {
    case ScoreKind::LLR: return "llr";
    case ScoreKind::WT_LLR: return "wt_llr";
    case ScoreKind::EMB_COS: return "emb_cos";
    case ScoreKind::EMB_L2: return "emb_l2";
  }
  throw InternalError("unknown ScoreKind");
}

std::string score_info_key(ScoreKind kind) {
  std::string key = "GM_";
  for (const char* p = score_name(kind); *p; ++p) {
    key += static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
  }
  return key;
}

const char* score_description(ScoreKind kind) {
  switch (kind) {
    case ScoreKind::LLR:
      return "Masked-marginal log-likelihood ratio: sum over the variant positions, each masked, of "
             "log p(alt) - log p(ref) (SNV/MNV; NaN otherwise)";
    case ScoreKind::WT_LLR:
      return "Wild-type marginal log-likelihood ratio: sum over the variant positions of log p(alt) - "
             "log p(ref) in the unmasked reference window (SNV/MNV; NaN otherwise)";
    case ScoreKind::EMB_COS:
      return "Cosine distance between the mean final embeddings of the reference and alternate windows";
    case ScoreKind::EMB_L2:
      return "L2 distance between the mean final embeddings of the reference and alternate windows";
  }
  throw InternalError("unknown ScoreKind");
}

std::vector<ScoreKind> parse_score_list(const std::string& text) {
  if (trim(text).empty()) throw UsageError(std::string("--scores: no score given ") + kChoices);
  std::vector<ScoreKind> scores;
  size_t begin = 0;
  while (true) {
    const size_t comma = text.find(',', begin);
    const std::string name = trim(text.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin));
    if (name.empty()) {
      throw UsageError("--scores: empty score name in '" + text + "' " + kChoices);
    }
    const auto* kind = std::find_if(kAllScores.begin(), kAllScores.end(),
                                    [&](ScoreKind k) { return name == score_name(k); });
    if (kind == kAllScores.end()) throw UsageError("--scores: unknown score '" + name + "' " + kChoices);
    if (std::find(scores.begin(), scores.end(), *kind) != scores.end()) {
      throw UsageError("--scores: score '" + name + "' given twice");
    }
    scores.push_back(*kind);
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  return scores;
}

void check_variant_batch(const VariantScoresLayout& layout, const VariantBatch& batch) {
  const auto n_records = static_cast<size_t>(batch.size());
  GM_CHECK(batch.n_rows.size() == n_records, "batch n_rows must have one entry per record");
  int64_t rows = 0;
  for (const int64_t n : batch.n_rows) {
    GM_CHECK(n >= 0, "batch n_rows must be >= 0");
    rows += n;
  }
  const int64_t v = batch.n_variant_rows();
  GM_CHECK(rows == v, "batch rows (chrom) must number sum(n_rows)");
  const auto n = static_cast<size_t>(v);
  GM_CHECK(batch.pos.size() == n && batch.id.size() == n && batch.ref.size() == n && batch.alt.size() == n &&
               batch.allele.size() == n && batch.status.size() == n,
           "batch chrom, pos, id, ref, alt, allele and status must have one entry per row");
  const auto n_scores = static_cast<int64_t>(layout.scores.size());
  if (n_scores > 0) {
    GM_CHECK(batch.scores.rows() == v && (v == 0 || batch.scores.cols() == n_scores),
             "batch scores must have shape [V, n_scores]");
  } else {
    GM_CHECK(batch.scores.empty(), "batch scores must be empty when the layout has no scores");
  }
  if (layout.embedding_width > 0) {
    GM_CHECK(batch.ref_embedding.rows() == v && (v == 0 || batch.ref_embedding.cols() == layout.embedding_width),
             "batch ref_embedding must have shape [V, embedding_width]");
    GM_CHECK(batch.alt_embedding.rows() == v && (v == 0 || batch.alt_embedding.cols() == layout.embedding_width),
             "batch alt_embedding must have shape [V, embedding_width]");
  } else {
    GM_CHECK(batch.ref_embedding.empty() && batch.alt_embedding.empty(),
             "batch embeddings must be empty when the layout has none");
  }
}

}  // namespace genomamba::output
