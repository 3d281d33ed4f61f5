#include "output/embeddings_writer.h"

#include "core/error.h"
#include "output/hdf5_dataset.h"
#include "output/hdf5_handle.h"
#include "output/partial_h5_file.h"

namespace genomamba::output {

std::string embeddings_layout_key(const EmbeddingsLayout& layout) {
  const bool f16 = layout.per_position && layout.f16;
  return "embeddings width=" + std::to_string(layout.width) + " pooled=" + std::to_string(layout.pooled) +
         " per_position=" + std::to_string(layout.per_position) + " f16=" + std::to_string(f16) +
         " logits=" + std::to_string(layout.logits);
}

namespace fs = std::filesystem;

namespace {

constexpr int64_t kLogitsWidth = 4;  // A, C, G, T

}  // namespace

struct EmbeddingsWriter::Impl {
  Impl(const fs::path& path, const RootAttributes& attrs, const EmbeddingsLayout& l) : file(path, attrs), layout(l) {}

  PartialH5File file;  // declared first: closed after every dataset
  EmbeddingsLayout layout;
  h5::ExtendableDataset window_name, window_record, window_start, window_end, window_embedding, window_offset;
  h5::ExtendableDataset position_embedding, position_logits;
  int64_t n_positions = 0;
  bool finished = false;

  void create_datasets();
};

void EmbeddingsWriter::Impl::create_datasets() {
  using h5::Element;
  h5::Handle windows = h5::create_group(file.handle(), "windows");
  window_name = h5::ExtendableDataset::create(windows, "name", Element::STRING, 0);
  window_record = h5::ExtendableDataset::create(windows, "record", Element::I64, 0);
  window_start = h5::ExtendableDataset::create(windows, "start", Element::I64, 0);
  window_end = h5::ExtendableDataset::create(windows, "end", Element::I64, 0);
  if (layout.pooled) window_embedding = h5::ExtendableDataset::create(windows, "embedding", Element::F32, layout.width);
  if (layout.per_position || layout.logits) {
    window_offset = h5::ExtendableDataset::create(windows, "offset", Element::I64, 0);
    h5::Handle positions = h5::create_group(file.handle(), "positions");
    if (layout.per_position) {
      position_embedding = h5::ExtendableDataset::create(positions, "embedding",
                                                         layout.f16 ? Element::F16 : Element::F32, layout.width);
    }
    if (layout.logits) {
      position_logits = h5::ExtendableDataset::create(positions, "logits", Element::F32, kLogitsWidth);
    }
  }
}

EmbeddingsWriter::EmbeddingsWriter(const fs::path& path, const EmbeddingsLayout& layout, const RootAttributes& attrs) {
  GM_CHECK(layout.width > 0 || !(layout.pooled || layout.per_position), "layout.width must be positive");
  impl_ = std::make_unique<Impl>(path, attrs, layout);
  impl_->create_datasets();
  impl_->file.flush();  // from here on the partial file is valid HDF5 that says complete = 0
}

EmbeddingsWriter::~EmbeddingsWriter() = default;

void EmbeddingsWriter::append_window(const std::string& name, int64_t record, int64_t start, int64_t end, const float* pooled,
                                     const core::Matrix* per_position, const core::Matrix* logits) {
  Impl& d = *impl_;
  GM_CHECK(!d.finished, "append_window after finish()");
  GM_CHECK(end >= start, "window end must be >= start");
  GM_CHECK(pooled != nullptr || !d.layout.pooled, "pooled must not be null");
  const int64_t length = end - start;
  // Rows of /positions/* first, the window row last: a window that is listed has all its rows.
  if (d.layout.per_position) {
    GM_CHECK(per_position && per_position->rows() == length && per_position->cols() == d.layout.width,
             "per_position must have shape [end - start, width]");
    d.position_embedding.append(per_position->data(), length);
  }
  if (d.layout.logits) {
    GM_CHECK(logits && logits->rows() == length && logits->cols() == kLogitsWidth,
             "logits must have shape [end - start, 4]");
    d.position_logits.append(logits->data(), length);
  }
  if (d.layout.per_position || d.layout.logits) d.window_offset.append(&d.n_positions, 1);
  d.window_record.append(&record, 1);
  d.window_start.append(&start, 1);
  d.window_end.append(&end, 1);
  if (d.layout.pooled) d.window_embedding.append(pooled, 1);
  d.window_name.append(std::vector<std::string>{name});
  d.n_positions += length;
}

int64_t EmbeddingsWriter::n_windows() const { return impl_->window_name.rows(); }

void EmbeddingsWriter::finish() {
  Impl& d = *impl_;
  GM_CHECK(!d.finished, "finish() called twice");
  for (auto* dataset : {&d.window_name, &d.window_record, &d.window_start, &d.window_end, &d.window_embedding, &d.window_offset,
                        &d.position_embedding, &d.position_logits}) {
    dataset->close();
  }
  d.file.commit();
  d.finished = true;
}

}  // namespace genomamba::output
