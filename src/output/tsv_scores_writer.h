#pragma once
/// Writes `genomamba score` results as tab-separated text: a header line
///   chrom  pos  id  ref  alt  allele  status  <score names in layout order...>
/// and one line per variant row (record x ALT allele), pos 1-based, scores printed with "%g" and NaN as
/// "NA". Embeddings are not representable in TSV and are ignored (the CLI refuses --save-embeddings
/// with a .tsv output). The text goes to "<path>.partial", renamed to <path> by finish(); "-" writes to
/// standard output.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "output/job_format.h"
#include "output/variant_batch.h"

namespace genomamba::output {

class TsvScoresWriter : public RowWriter {
 public:
  /// Creates "<path>.partial" (or takes standard output for "-") and writes the header line.
  /// @throws InputError "<path>: cannot create output file (<why>)"; DeviceError when writing fails.
  TsvScoresWriter(const std::filesystem::path& path, const VariantScoresLayout& layout);
  ~TsvScoresWriter() override;
  TsvScoresWriter(const TsvScoresWriter&) = delete;
  TsvScoresWriter& operator=(const TsvScoresWriter&) = delete;

  /// Writes the rows of records [first, first + count) of `batch` (a VariantBatch).
  /// @throws DeviceError "<path>: cannot write (<why>)".
  void append(const RowBatch& batch, int64_t first, int64_t count) override;
  /// Flushes, closes and renames the file into place (for "-": flushes standard output).
  /// @throws DeviceError naming the path.
  void finish() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A score as the TSV writer prints it: "%g" (6 significant digits), "NA" for NaN.
std::string format_tsv_score(float value);

}  // namespace genomamba::output
