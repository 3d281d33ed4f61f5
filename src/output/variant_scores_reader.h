#pragma once
/// Reads a genomamba-variant-scores file (design §8) back, whole VCF records at a time: the batch files
/// of a `genomamba score` job, its shards, and finished .h5 outputs that merge turns into VCF or TSV.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "output/job_format.h"
#include "output/variant_batch.h"

namespace genomamba::output {

class VariantScoresReader : public RowReader {
 public:
  /// Opens `path` read-only and reconstructs its layout from the datasets.
  /// @throws InputError "<path>: not a genomamba-variant-scores file (…)" when it is missing, not HDF5, of
  /// another format, or lacks (or has inconsistent) datasets.
  explicit VariantScoresReader(const std::filesystem::path& path);

  const VariantScoresLayout& layout() const { return layout_; }
  int64_t n_records() const { return n_records_; }
  int64_t n_variant_rows() const { return n_variant_rows_; }

  // RowReader: a row is a VCF record (with its allele rows).
  int64_t n_rows() const override { return n_records_; }
  std::string layout_key() const override;
  std::unique_ptr<RowBatch> read(int64_t first, int64_t count) const override;
  /// 1 + the allele rows of each record.
  std::vector<int64_t> row_weights() const override;

  /// Records [first, first + count) with all their rows.
  /// @throws InputError when /records/offset is inconsistent with /variants.
  VariantBatch read_records(int64_t first, int64_t count) const;

 private:
  // /records/offset [first, first + count], the last entry being the end of the last record's rows.
  std::vector<int64_t> record_bounds(int64_t first, int64_t count) const;

  VariantScoresLayout layout_;
  int64_t n_records_ = 0;
  int64_t n_variant_rows_ = 0;
};

}  // namespace genomamba::output
