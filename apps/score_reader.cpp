// `genomamba score`, the read stage: VCF records -> allele rows with their status (design §8) and the
// windows their scores need (design §9, docs/scores.md), fetched from the reference FASTA.
#include <string>
#include <utility>

#include "core/error.h"
#include "core/log.h"
#include "score_internal.h"
#include "variants/allele.h"

namespace genomamba::apps::score {

namespace {

using output::ScoreKind;
using output::VariantStatus;

bool has_score(const std::vector<ScoreKind>& scores, ScoreKind kind) {
  for (ScoreKind s : scores)
    if (s == kind) return true;
  return false;
}

std::string record_place(const io::VcfRecord& r) {
  return "record " + std::to_string(r.number) + " (" + r.chrom + ":" + std::to_string(r.pos + 1) + ")";
}

}  // namespace

void check_contigs(const io::VcfReader& vcf, const io::ReferenceFasta& reference) {
  for (const io::VcfContig& contig : vcf.contigs()) {
    const int64_t length = reference.contig_length(contig.name);
    if (contig.length >= 0 && length >= 0 && contig.length != length) {
      throw InputError(vcf.path() + ": contig '" + contig.name + "' has length " + std::to_string(contig.length) +
                       " in the VCF header but " + std::to_string(length) + " in " + reference.path() +
                       "; the variants were called against another reference");
    }
  }
}

VariantReader::VariantReader(io::VcfReader& vcf, const io::ReferenceFasta& reference, const ReaderSettings& settings)
    : vcf_(vcf), reference_(reference), settings_(settings) {
  want_llr_ = has_score(settings.scores, ScoreKind::LLR);
  want_wt_ = has_score(settings.scores, ScoreKind::WT_LLR);
  want_emb_ = has_score(settings.scores, ScoreKind::EMB_COS) || has_score(settings.scores, ScoreKind::EMB_L2) ||
              settings.save_embeddings;
}

bool VariantReader::next_batch(ScoreWork& work) {
  io::VcfRecord record;
  while (work.batch.size() < settings_.batch && vcf_.next(record)) {
    const int64_t global = counts_.records++;
    if (global % settings_.shard_count != settings_.shard_index) continue;
    if (n_shard_++ < settings_.skip) continue;  // committed by an earlier run (--resume)
    add_record(record, work);
  }
  work.records_read = counts_.records;
  return work.batch.size() > 0;
}

const std::string& VariantReader::window_bases(const WindowKey& key, ScoreWork& work) {
  auto it = work.bases.find(key);
  if (it == work.bases.end()) {
    it = work.bases.emplace(key, reference_.fetch(key.contig, key.span.start, key.span.end())).first;
  }
  return it->second;
}

void VariantReader::add_record(const io::VcfRecord& record, ScoreWork& work) {
  output::VariantBatch& b = work.batch;
  b.record_line.push_back(record.line);
  int64_t n_rows = 0;
  const int64_t contig_length = reference_.contig_length(record.chrom);
  const auto ref_length = static_cast<int64_t>(record.ref.size());
  // Status of the REF against the reference, common to all ALTs of the record.
  VariantStatus record_status = VariantStatus::SCORED;
  std::string reference_bases;
  if (contig_length < 0) {
    record_status = VariantStatus::OUT_OF_BOUNDS;
    ++counts_.missing_contig;
  } else if (record.pos + ref_length > contig_length) {
    record_status = VariantStatus::OUT_OF_BOUNDS;
  } else {
    reference_bases = variants::to_upper(reference_.fetch(record.chrom, record.pos, record.pos + ref_length));
    if (variants::to_upper(record.ref) != reference_bases) record_status = VariantStatus::REF_MISMATCH;
  }
  for (size_t k = 0; k < record.alts.size(); ++k) {
    const std::string& alt = record.alts[k];
    VariantStatus status = record_status;
    const variants::AlleleKind kind = variants::classify_allele(record.ref, alt);
    if (status == VariantStatus::SCORED && kind == variants::AlleleKind::NOT_SCORABLE) status = VariantStatus::SKIPPED;
    // Symbolic and breakend alleles are not scored whatever their REF; only their REF check is moot.
    if (status == VariantStatus::REF_MISMATCH && kind == variants::AlleleKind::NOT_SCORABLE) {
      status = VariantStatus::SKIPPED;
    }
    if (status == VariantStatus::REF_MISMATCH) {
      ++counts_.ref_mismatch;
      if (settings_.ref_mismatch == RefMismatch::ERROR) {
        throw InputError(vcf_.path() + ": " + record_place(record) + ": REF '" + record.ref +
                         "' does not match the reference '" + reference_bases + "' of " + reference_.path() +
                         " (--ref-mismatch error)");
      }
      if (settings_.ref_mismatch == RefMismatch::SKIP) continue;
    }
    if (status == VariantStatus::SKIPPED) ++counts_.not_scorable;
    if (status == VariantStatus::OUT_OF_BOUNDS) ++counts_.out_of_bounds;
    const int64_t row = b.n_variant_rows();
    b.chrom.push_back(record.chrom);
    b.pos.push_back(record.pos + 1);
    b.id.push_back(record.id);
    b.ref.push_back(record.ref);
    b.alt.push_back(alt);
    b.allele.push_back(static_cast<int64_t>(k) + 1);
    b.status.push_back(static_cast<int8_t>(status));
    ++n_rows;
    if (status == VariantStatus::SCORED) plan_row(record.chrom, contig_length, record.pos, reference_bases, alt, row, work);
  }
  b.n_rows.push_back(n_rows);
  counts_.rows += n_rows;
}

void VariantReader::plan_row(const std::string& contig, int64_t contig_length, int64_t pos, const std::string& ref,
                             const std::string& alt, int64_t row, ScoreWork& work) {
  AllelePlan plan;
  plan.row = row;
  plan.pos = pos;
  plan.ref = ref;
  plan.alt = variants::to_upper(alt);
  const auto r = static_cast<int64_t>(ref.size()), a = static_cast<int64_t>(alt.size());
  const bool equal_length = r == a;
  if (want_llr_ || want_emb_) {
    plan.centred = {contig, variants::centred_window(contig_length, settings_.window, pos, r)};
    window_bases(plan.centred, work);
  }
  if (want_wt_ && equal_length) {
    plan.grid = {contig, variants::grid_window(contig_length, settings_.window, pos, r)};
    window_bases(plan.grid, work);
  }
  if (want_emb_) {
    const variants::AltWindow w = variants::alt_window(contig_length, plan.centred.span, pos, r, a);
    if (w.left.length > 0) plan.alt_window = reference_.fetch(contig, w.left.start, w.left.end());
    plan.alt_window += plan.alt.substr(static_cast<size_t>(w.alt_begin), static_cast<size_t>(w.alt_end - w.alt_begin));
    if (w.right.length > 0) plan.alt_window += reference_.fetch(contig, w.right.start, w.right.end());
  }
  work.plans.push_back(std::move(plan));
}

}  // namespace genomamba::apps::score
