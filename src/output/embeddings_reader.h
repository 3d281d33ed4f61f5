#pragma once
/// Reads a genomamba-embeddings file (design §8) back, window by window: the batch files of a job,
/// and the shard files that merge_job_files() combines.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "output/embeddings_format.h"
#include "output/embeddings_writer.h"
#include "output/job_format.h"

namespace genomamba::output {

class EmbeddingsReader : public RowReader {
 public:
  /// Opens `path` read-only.
  /// @throws InputError "<path>: not a genomamba-embeddings file (…)" when it is missing, not HDF5, or has
  /// another format attribute or layout.
  explicit EmbeddingsReader(const std::filesystem::path& path);

  const EmbeddingsLayout& layout() const { return layout_; }
  int64_t n_windows() const { return n_windows_; }

  // RowReader: a row is a window.
  int64_t n_rows() const override { return n_windows_; }
  std::string layout_key() const override;
  std::unique_ptr<RowBatch> read(int64_t first, int64_t count) const override;
  std::vector<int64_t> row_weights() const override { return window_lengths(); }

  /// end - start of every window, in order.
  std::vector<int64_t> window_lengths() const;

  /// Windows [first, first + count) with their rows of /positions/*.
  WindowBatch read_windows(int64_t first, int64_t count) const;

 private:
  EmbeddingsLayout layout_;
  int64_t n_windows_ = 0;
};

/// Appends window `k` of `batch`, whose rows of /positions/* start at row `first_row` of the batch's
/// per_position / logits, to `writer` (whose layout is `layout`).
void append_window_from(EmbeddingsWriter& writer, const EmbeddingsLayout& layout, const WindowBatch& batch,
                        int64_t k, int64_t first_row);

/// Appends every window of `batch` to `writer` (whose layout is `layout`), in order.
/// @throws InternalError when the batch's shapes do not match the layout.
void append_windows(EmbeddingsWriter& writer, const EmbeddingsLayout& layout, const WindowBatch& batch);

/// Checks the shapes of `batch` against `layout` (names/starts/ends of one length, end >= start, pooled
/// [B, width] or empty, per_position [P, width] and logits [P, 4] where P = sum of window lengths).
void check_batch(const EmbeddingsLayout& layout, const WindowBatch& batch);

}  // namespace genomamba::output
