#pragma once
/// Writes the design §8 ISM layout (format "genomamba-ism") incrementally:
///   /ism/positions [L] int64 (1-based), /ism/ref [L] int8 (0..3 for ACGT, -1 other),
///   /ism/scores [L, 4] float32 (score of A, C, G, T against the reference base; 0 on its column).
/// The file is "<path>.partial" with complete=0 until finish() sets complete=1 and renames it to <path>;
/// destroyed before finish(), the writer removes the partial file.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "output/ism_batch.h"
#include "output/job_format.h"
#include "output/root_attributes.h"

namespace genomamba::output {

/// The `format` root attribute of an ISM file.
inline constexpr const char* kIsmFormat = "genomamba-ism";
/// Columns of /ism/scores: A, C, G, T.
inline constexpr int64_t kIsmBases = 4;

/// The JobFormat::layout_key() of ISM files: "ism" (the layout has no options).
std::string ism_layout_key();

/// Checks the shapes of `batch` (position, ref and scores rows of one length; scores [L, 4]).
/// @throws InternalError.
void check_ism_batch(const IsmBatch& batch);

class IsmWriter : public RowWriter {
 public:
  /// Creates "<path>.partial" with the root attributes `attrs` (its `format` is set to kIsmFormat; the
  /// CLI puts contig and region in attrs.extra).
  /// @throws InputError "<path>: cannot create output file (<why>)" when it cannot.
  IsmWriter(const std::filesystem::path& path, const RootAttributes& attrs);
  ~IsmWriter() override;
  IsmWriter(const IsmWriter&) = delete;
  IsmWriter& operator=(const IsmWriter&) = delete;

  /// Appends positions [first, first + count) of `batch` (an IsmBatch).
  void append(const RowBatch& batch, int64_t first, int64_t count) override;
  /// Sets complete=1, closes the file and renames it to its final path.
  void finish() override;

  int64_t n_positions() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace genomamba::output
