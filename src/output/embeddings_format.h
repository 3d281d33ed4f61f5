#pragma once
/// The embeddings layout (design §8) as a JobFormat: what `genomamba embed` jobs write. A row is a window.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/matrix.h"
#include "output/embeddings_writer.h"
#include "output/job_format.h"

namespace genomamba::output {

/// Finished windows, in the job's window order. Positions of window k are rows
/// [sum(n_positions[0..k)), +n_positions[k]) of per_position / logits.
struct WindowBatch : RowBatch {
  std::vector<std::string> name;
  std::vector<int64_t> record;  ///< 0-based number of the window's record in the input (the key; names repeat)
  std::vector<int64_t> start;
  std::vector<int64_t> end;
  core::Matrix pooled;        ///< [B, D]; empty with --pool none
  core::Matrix per_position;  ///< [P, D]; empty unless the layout asks for it
  core::Matrix logits;        ///< [P, 4]; empty unless the layout asks for it
  int64_t size() const override { return static_cast<int64_t>(name.size()); }
};

class EmbeddingsFormat : public JobFormat {
 public:
  explicit EmbeddingsFormat(const EmbeddingsLayout& layout) : layout_(layout) {}
  /// The format of an existing embeddings file (for merge). @throws InputError naming it.
  static std::shared_ptr<EmbeddingsFormat> of_file(const std::filesystem::path& path);

  const EmbeddingsLayout& layout() const { return layout_; }

  std::string format() const override { return "genomamba-embeddings"; }
  std::string layout_key() const override { return embeddings_layout_key(layout_); }
  std::unique_ptr<RowWriter> create_h5(const std::filesystem::path& path, const RootAttributes& attrs) const override;
  std::unique_ptr<RowReader> open_h5(const std::filesystem::path& path) const override;

 private:
  EmbeddingsLayout layout_;
};

}  // namespace genomamba::output
