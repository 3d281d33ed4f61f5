#pragma once
/// Reads a genomamba-embeddings file (design §8) back, window by window: the batch files of a job,
/// and the shard files that merge_embeddings() combines.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "output/embeddings_job.h"
#include "output/embeddings_writer.h"
#include "output/hdf5_handle.h"
#include "output/root_attributes.h"

namespace genomamba::output {

class EmbeddingsReader {
 public:
  /// Opens `path` read-only.
  /// @throws InputError "<path>: not a genomamba embeddings file (…)" when it is missing, not HDF5, or has
  /// another format attribute or layout.
  explicit EmbeddingsReader(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  const EmbeddingsLayout& layout() const { return layout_; }
  int64_t n_windows() const { return n_windows_; }
  /// The root attribute complete == 1.
  bool complete() const;

  bool has_attribute(const std::string& name) const;
  /// A scalar string root attribute. @throws InputError naming the file when it is missing.
  std::string string_attribute(const std::string& name) const;
  /// A scalar int64 root attribute. @throws InputError naming the file when it is missing.
  int64_t int_attribute(const std::string& name) const;

  /// The root attributes: the standard fields, and every other scalar string / int attribute in `extra` /
  /// `extra_ints`, except `complete`.
  RootAttributes root_attributes() const;

  /// end - start of every window, in order.
  std::vector<int64_t> window_lengths() const;

  /// Windows [first, first + count) with their rows of /positions/*.
  WindowBatch read_windows(int64_t first, int64_t count) const;

 private:
  std::filesystem::path path_;
  h5::Handle file_;
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
