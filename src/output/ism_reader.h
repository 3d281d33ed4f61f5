#pragma once
/// Reads a genomamba-ism file (design §8) back, position by position: the batch files of a
/// `genomamba ism` job, its shards and finished outputs.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "output/ism_batch.h"
#include "output/job_format.h"

namespace genomamba::output {

class IsmReader : public RowReader {
 public:
  /// Opens `path` read-only.
  /// @throws InputError "<path>: not a genomamba-ism file (…)" when it is missing, not HDF5, of another
  /// format, or lacks (or has inconsistent) /ism datasets.
  explicit IsmReader(const std::filesystem::path& path);

  int64_t n_positions() const { return n_positions_; }

  // RowReader: a row is a position.
  int64_t n_rows() const override { return n_positions_; }
  std::string layout_key() const override;
  std::unique_ptr<RowBatch> read(int64_t first, int64_t count) const override;

  /// Positions [first, first + count).
  IsmBatch read_positions(int64_t first, int64_t count) const;

 private:
  int64_t n_positions_ = 0;
};

}  // namespace genomamba::output
