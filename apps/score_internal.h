#pragma once
// Internal to `genomamba score` and `genomamba ism` (apps/score*.cpp, apps/ism.cpp): the variant reader and
// the compute stage. Not a public API.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "commands.h"
#include "io/reference_fasta.h"
#include "io/vcf_reader.h"
#include "model/memory_plan.h"
#include "model/strand.h"
#include "output/variant_batch.h"
#include "variants/score_window.h"
#include "variants/variant_scorer.h"

namespace genomamba::apps::score {

/// What --ref-mismatch does with a REF that differs from the reference FASTA.
enum class RefMismatch { ERROR, SKIP, FLAG };

/// A window of the reference: contig and span (the key under which its bases and passes are shared).
struct WindowKey {
  std::string contig;
  variants::Span span;
  bool operator<(const WindowKey& o) const {
    return std::tie(contig, span.start, span.length) < std::tie(o.contig, o.span.start, o.span.length);
  }
};

/// How one allele row is scored (status 0 rows only; others carry no plan).
struct AllelePlan {
  int64_t row = 0;             ///< row in the batch
  int64_t pos = 0;             ///< 0-based REF start on the contig
  std::string ref;             ///< upper-cased REF (equal to the reference there)
  std::string alt;             ///< upper-cased ALT
  WindowKey centred;           ///< llr and emb_*
  WindowKey grid;              ///< wt_llr
  std::string alt_window;      ///< emb_*: the bases of the ALT window
};

/// One batch of VCF records read, checked and planned, with the reference bases its windows need.
struct ScoreWork {
  output::VariantBatch batch;               ///< records and rows; scores still to fill
  std::vector<AllelePlan> plans;
  std::map<WindowKey, std::string> bases;   ///< bases of every window the plans name
  int64_t records_read = 0;                 ///< records of the whole input read so far (for progress)
};

/// What the reader needs to know.
struct ReaderSettings {
  std::vector<output::ScoreKind> scores;
  int64_t window = 4096;
  RefMismatch ref_mismatch = RefMismatch::FLAG;
  int64_t shard_index = 0;
  int64_t shard_count = 1;
  int64_t skip = 0;        ///< records of this shard already committed (--resume)
  int64_t batch = 32;      ///< records per batch
  bool save_embeddings = false;  ///< plan the emb_* windows even without an emb_* score
};

/// Counts for the exit summary.
struct ReaderCounts {
  int64_t records = 0;      ///< records of the whole input
  int64_t rows = 0;         ///< allele rows of this shard's records
  int64_t ref_mismatch = 0;
  int64_t not_scorable = 0;
  int64_t out_of_bounds = 0;
  int64_t missing_contig = 0;
};

/// Reads VCF records, keeps this shard's (record g with g % N == i), splits them into allele rows with
/// their status (design §8) and plans the windows of the status-0 rows.
class VariantReader {
 public:
  VariantReader(io::VcfReader& vcf, const io::ReferenceFasta& reference, const ReaderSettings& settings);
  /// The next batch of this shard's records; false at the end of the input.
  bool next_batch(ScoreWork& work);
  const ReaderCounts& counts() const { return counts_; }
  int64_t n_shard_records() const { return n_shard_; }

 private:
  void add_record(const io::VcfRecord& record, ScoreWork& work);
  void plan_row(const std::string& contig, int64_t contig_length, int64_t pos, const std::string& ref,
                const std::string& alt, int64_t row, ScoreWork& work);
  const std::string& window_bases(const WindowKey& key, ScoreWork& work);

  io::VcfReader& vcf_;
  const io::ReferenceFasta& reference_;
  ReaderSettings settings_;
  bool want_llr_ = false, want_wt_ = false, want_emb_ = false;
  ReaderCounts counts_;
  int64_t n_shard_ = 0;
};

/// Checks the VCF header's contig lengths against the reference FASTA's.
/// @throws InputError naming both files and the contig when a length differs (another assembly).
void check_contigs(const io::VcfReader& vcf, const io::ReferenceFasta& reference);

/// The memory plan of scoring with windows of `window` bases (score and ism): one window per forward, its
/// logits and final hidden state, both strands' passes for PH --strand both, and the reference windows the
/// computer keeps. Refuses what cannot fit (model/memory_plan.h).
model::MemoryPlan plan_scoring(const model::Caduceus& model, model::Strand strand, int64_t window,
                               const JobOptions& job);

/// The compute stage: fills the scores (and embeddings) of a batch. Keeps the last reference passes so
/// that variants of one grid window in consecutive batches share them.
class ScoreComputer {
 public:
  ScoreComputer(const model::Caduceus& model, model::Strand strand, const model::RunSettings& run,
                const std::vector<output::ScoreKind>& scores, bool save_embeddings);
  /// Scores the batch in place; returns the tokens computed.
  int64_t compute(ScoreWork& work);

  /// [L, 4] log-probabilities of a reference window (cached: the last few windows).
  const core::Matrix& reference_log_probs(const WindowKey& key, const std::string& bases);
  /// A window's bases and the window-relative positions to mask in it.
  struct MaskedPass {
    const std::string* bases = nullptr;
    std::vector<int64_t> masked;
  };
  /// [L, 4] log-probabilities of each pass's window with its positions masked; runs of consecutive passes of
  /// equal length go through the model together (each result is the one it gets alone).
  std::vector<core::Matrix> masked_log_probs(const std::vector<MaskedPass>& passes);
  const variants::VariantScorer& scorer() const { return scorer_; }
  int64_t tokens() const { return tokens_; }

 private:
  const std::vector<double>& reference_embedding(const WindowKey& key, const std::string& bases);

  variants::VariantScorer scorer_;
  std::vector<output::ScoreKind> scores_;
  bool save_embeddings_;
  std::map<WindowKey, core::Matrix> log_probs_cache_;
  std::vector<WindowKey> log_probs_order_;
  std::map<WindowKey, std::vector<double>> embedding_cache_;
  std::vector<WindowKey> embedding_order_;
  int64_t tokens_ = 0;
};

}  // namespace genomamba::apps::score
