#pragma once
/// Writes the design §8 embeddings layout incrementally: one window at a time, into chunked, compressed,
/// extendable datasets. The file is written as "<path>.partial" with complete=0 and is renamed to <path>
/// with complete=1 only by finish(); if the writer is destroyed before finish(), the partial file is removed.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/matrix.h"
#include "output/root_attributes.h"

namespace genomamba::output {

struct EmbeddingsLayout {
  int64_t width = 0;           ///< D of /windows/embedding and /positions/embedding
  bool per_position = false;   ///< write /positions/embedding
  bool logits = false;         ///< write /positions/logits [P, 4]
  bool f16 = false;            ///< /positions/embedding as float16 instead of float32
  bool pooled = true;          ///< write /windows/embedding (false with --pool none)
};

/// The layout as a JobFormat::layout_key(): "embeddings width=256 pooled=1 per_position=0 f16=0 logits=1"
/// (f16 counts only with per_position).
std::string embeddings_layout_key(const EmbeddingsLayout& layout);

class EmbeddingsWriter {
 public:
  /// Creates "<path>.partial". @throws InputError "<path>: cannot create output file" when it cannot.
  EmbeddingsWriter(const std::filesystem::path& path, const EmbeddingsLayout& layout, const RootAttributes& attrs);
  ~EmbeddingsWriter();
  EmbeddingsWriter(const EmbeddingsWriter&) = delete;
  EmbeddingsWriter& operator=(const EmbeddingsWriter&) = delete;

  /// Appends one window of the record numbered `record` (0-based, in input order: names may repeat, as read
  /// names of mates do). `pooled` has `width` floats (ignored, may be null, when the layout is not pooled); `per_position` is [end-start, width] (used when the
  /// layout asks for it); `logits` is [end-start, 4] (likewise).
  void append_window(const std::string& name, int64_t record, int64_t start, int64_t end, const float* pooled,
                     const core::Matrix* per_position, const core::Matrix* logits);

  int64_t n_windows() const;

  /// Sets complete=1, closes the file and renames it to its final path.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace genomamba::output
