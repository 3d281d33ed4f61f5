#include "output/embeddings_format.h"

#include "core/error.h"
#include "output/embeddings_reader.h"

namespace genomamba::output {

namespace fs = std::filesystem;

namespace {

// EmbeddingsWriter as a RowWriter: a window's /positions/* rows follow it from batch to file.
class EmbeddingsRowWriter : public RowWriter {
 public:
  EmbeddingsRowWriter(const fs::path& path, const EmbeddingsLayout& layout, const RootAttributes& attrs)
      : layout_(layout), writer_(path, layout, attrs) {}

  void append(const RowBatch& rows, int64_t first, int64_t count) override {
    const auto& batch = dynamic_cast<const WindowBatch&>(rows);
    check_batch(layout_, batch);
    GM_CHECK(first >= 0 && count >= 0 && first + count <= batch.size(), "windows to append must exist");
    int64_t row = 0;
    for (int64_t k = 0; k < first; ++k) row += batch.end[static_cast<size_t>(k)] - batch.start[static_cast<size_t>(k)];
    for (int64_t k = first; k < first + count; ++k) {
      append_window_from(writer_, layout_, batch, k, row);
      row += batch.end[static_cast<size_t>(k)] - batch.start[static_cast<size_t>(k)];
    }
  }

  void finish() override { writer_.finish(); }

 private:
  EmbeddingsLayout layout_;
  EmbeddingsWriter writer_;
};

}  // namespace

std::shared_ptr<EmbeddingsFormat> EmbeddingsFormat::of_file(const fs::path& path) {
  const EmbeddingsReader reader(path);
  return std::make_shared<EmbeddingsFormat>(reader.layout());
}

std::unique_ptr<RowWriter> EmbeddingsFormat::create_h5(const fs::path& path, const RootAttributes& attrs) const {
  return std::make_unique<EmbeddingsRowWriter>(path, layout_, attrs);
}

std::unique_ptr<RowReader> EmbeddingsFormat::open_h5(const fs::path& path) const {
  return std::make_unique<EmbeddingsReader>(path);
}

}  // namespace genomamba::output
