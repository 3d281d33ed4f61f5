#pragma once
/// Writes the design §8 variant-scores layout (format "genomamba-variant-scores") incrementally, whole VCF
/// records at a time:
///   /variants/chrom, id, ref, alt [V] string; /variants/pos [V] int64 (1-based); /variants/allele [V] int64;
///   /variants/status [V] int8; /scores/<name> [V] float32 (layout order, also listed by the string-array
///   attribute "names" of /scores); /embeddings/ref, /embeddings/alt [V, width] float32 (width > 0);
///   /records/line [R] string (the input VCF record) and /records/offset [R] int64 (its first /variants row).
/// The file is "<path>.partial" with complete=0 until finish() sets complete=1 and renames it to <path>;
/// destroyed before finish(), the writer removes the partial file.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "output/job_format.h"
#include "output/root_attributes.h"
#include "output/variant_batch.h"

namespace genomamba::output {

/// The `format` root attribute of a variant-scores file.
inline constexpr const char* kVariantScoresFormat = "genomamba-variant-scores";

/// The layout as a JobFormat::layout_key(): "variant-scores scores=llr,wt_llr embedding_width=0".
std::string variant_scores_layout_key(const VariantScoresLayout& layout);

class VariantScoresWriter : public RowWriter {
 public:
  /// Creates "<path>.partial" with the root attributes `attrs` (its `format` is set to
  /// kVariantScoresFormat; the VCF header travels in attrs.extra["vcf_header"]).
  /// @throws InputError "<path>: cannot create output file (<why>)" when it cannot.
  VariantScoresWriter(const std::filesystem::path& path, const VariantScoresLayout& layout,
                      const RootAttributes& attrs);
  ~VariantScoresWriter() override;
  VariantScoresWriter(const VariantScoresWriter&) = delete;
  VariantScoresWriter& operator=(const VariantScoresWriter&) = delete;

  /// Appends records [first, first + count) of `batch` (a VariantBatch) with all their rows.
  /// @throws InternalError when the batch does not match the layout; DeviceError on HDF5 failure.
  void append(const RowBatch& batch, int64_t first, int64_t count) override;
  /// Sets complete=1, closes the file and renames it to its final path.
  void finish() override;

  int64_t n_records() const;
  int64_t n_variant_rows() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace genomamba::output
