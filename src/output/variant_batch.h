#pragma once
/// Rows of a `genomamba score` job: whole VCF records, each with one row per ALT allele (design §8, §9).
#include <cstdint>
#include <string>
#include <vector>

#include "core/matrix.h"
#include "output/job_format.h"

namespace genomamba::output {

/// /variants/status values (design §8).
enum class VariantStatus : int8_t {
  SCORED = 0,
  REF_MISMATCH = 1,   ///< VCF REF differs from the reference FASTA (--ref-mismatch flag)
  SKIPPED = 2,        ///< symbolic (<DEL>), breakend, '*' or N-only / non-ACGT allele: not scored
  OUT_OF_BOUNDS = 3,  ///< REF runs past the contig's end, or the contig is not in the reference FASTA
};

/// The scores `genomamba score` computes, in the order of /scores/<name>, TSV columns and INFO fields.
enum class ScoreKind { LLR, WT_LLR, EMB_COS, EMB_L2 };

/// "llr", "wt_llr", "emb_cos", "emb_l2".
const char* score_name(ScoreKind kind);
/// The VCF INFO key: "GM_LLR", "GM_WT_LLR", "GM_EMB_COS", "GM_EMB_L2".
std::string score_info_key(ScoreKind kind);
/// One-sentence description of a score (VCF header Description, --help).
const char* score_description(ScoreKind kind);
/// Parses "llr,wt_llr" (any order, no repeats). @throws ConfigError naming --scores.
std::vector<ScoreKind> parse_score_list(const std::string& text);

/// Which datasets a variant-scores file has.
struct VariantScoresLayout {
  std::vector<ScoreKind> scores;  ///< one /scores/<name> each, in this order
  int64_t embedding_width = 0;    ///< > 0: /embeddings/ref and /embeddings/alt [V, width] (--save-embeddings)
};

/// Whole VCF records with their allele rows. Record k's rows are [sum(n_rows[0..k)), + n_rows[k]).
struct VariantBatch : RowBatch {
  // ---- per record ----
  std::vector<std::string> record_line;  ///< the input record as one VCF text line (no newline)
  std::vector<int64_t> n_rows;           ///< rows of each record (0 when --ref-mismatch skip dropped them all)
  // ---- per row (record x ALT allele) ----
  std::vector<std::string> chrom;
  std::vector<int64_t> pos;              ///< 1-based, as in the VCF
  std::vector<std::string> id;
  std::vector<std::string> ref;
  std::vector<std::string> alt;
  std::vector<int64_t> allele;           ///< 1-based index of this ALT in the record
  std::vector<int8_t> status;            ///< VariantStatus
  core::Matrix scores;                   ///< [V, n_scores] in layout order; NaN where undefined
  core::Matrix ref_embedding;            ///< [V, width] or empty
  core::Matrix alt_embedding;            ///< [V, width] or empty

  int64_t size() const override { return static_cast<int64_t>(record_line.size()); }
  int64_t n_variant_rows() const { return static_cast<int64_t>(chrom.size()); }
};

/// Checks the shapes of `batch` against `layout` (per-record and per-row vectors of consistent lengths,
/// sum(n_rows) == rows, scores [V, n_scores], embeddings [V, width] or empty). @throws InternalError.
void check_variant_batch(const VariantScoresLayout& layout, const VariantBatch& batch);

}  // namespace genomamba::output
