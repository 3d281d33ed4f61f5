#include "output/embeddings_writer.h"

#include <hdf5.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "core/error.h"
#include "output/hdf5_dataset.h"
#include "output/hdf5_handle.h"

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

// Why a file cannot be created, in words (HDF5 only says that it failed).
std::string create_failure_reason(const fs::path& path, const fs::path& partial) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return "it is a directory";
  const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec)) return "directory '" + parent.string() + "' does not exist";
  std::FILE* probe = std::fopen(partial.c_str(), "wb");
  if (!probe) return std::strerror(errno);
  std::fclose(probe);
  fs::remove(partial, ec);
  return "HDF5 could not create it";
}

}  // namespace

struct EmbeddingsWriter::Impl {
  fs::path final_path;
  fs::path partial_path;
  EmbeddingsLayout layout;
  h5::Handle file;  // declared first: closed after every dataset
  h5::ExtendableDataset window_name, window_start, window_end, window_embedding, window_offset;
  h5::ExtendableDataset position_embedding, position_logits;
  int64_t n_positions = 0;
  bool finished = false;

  void create_datasets();
  void close_all();
};

void EmbeddingsWriter::Impl::create_datasets() {
  using h5::Element;
  h5::Handle windows = h5::create_group(file, "windows");
  window_name = h5::ExtendableDataset::create(windows, "name", Element::STRING, 0);
  window_start = h5::ExtendableDataset::create(windows, "start", Element::I64, 0);
  window_end = h5::ExtendableDataset::create(windows, "end", Element::I64, 0);
  if (layout.pooled) window_embedding = h5::ExtendableDataset::create(windows, "embedding", Element::F32, layout.width);
  if (layout.per_position || layout.logits) {
    window_offset = h5::ExtendableDataset::create(windows, "offset", Element::I64, 0);
    h5::Handle positions = h5::create_group(file, "positions");
    if (layout.per_position) {
      position_embedding = h5::ExtendableDataset::create(positions, "embedding",
                                                         layout.f16 ? Element::F16 : Element::F32, layout.width);
    }
    if (layout.logits) {
      position_logits = h5::ExtendableDataset::create(positions, "logits", Element::F32, kLogitsWidth);
    }
  }
}

void EmbeddingsWriter::Impl::close_all() {
  for (auto* dataset : {&window_name, &window_start, &window_end, &window_embedding, &window_offset,
                        &position_embedding, &position_logits}) {
    *dataset = h5::ExtendableDataset();
  }
  file = h5::Handle();
}

EmbeddingsWriter::EmbeddingsWriter(const fs::path& path, const EmbeddingsLayout& layout, const RootAttributes& attrs)
    : impl_(std::make_unique<Impl>()) {
  GM_CHECK(layout.width > 0 || !(layout.pooled || layout.per_position), "layout.width must be positive");
  h5::silence_errors();
  impl_->final_path = path;
  impl_->partial_path = path;
  impl_->partial_path += ".partial";
  impl_->layout = layout;

  std::error_code ec;
  const hid_t file = fs::is_directory(path, ec)
                         ? -1
                         : H5Fcreate(impl_->partial_path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0) {
    throw InputError(path.string() + ": cannot create output file (" +
                     create_failure_reason(path, impl_->partial_path) + ")");
  }
  impl_->file = h5::Handle(file, "create " + impl_->partial_path.string());
  try {
    write_root_attributes(impl_->file, attrs);
    h5::write_attribute(impl_->file, "complete", int64_t{0});
    impl_->create_datasets();
    // From here on the partial file is a valid HDF5 file that says complete = 0.
    h5::check(H5Fflush(impl_->file.get(), H5F_SCOPE_LOCAL), "flush " + impl_->partial_path.string());
  } catch (...) {
    impl_->close_all();
    fs::remove(impl_->partial_path, ec);
    throw;
  }
}

EmbeddingsWriter::~EmbeddingsWriter() {
  if (!impl_ || impl_->finished) return;
  impl_->close_all();
  std::error_code ec;
  fs::remove(impl_->partial_path, ec);
}

void EmbeddingsWriter::append_window(const std::string& name, int64_t start, int64_t end, const float* pooled,
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
  h5::write_attribute(d.file, "complete", int64_t{1});
  for (auto* dataset : {&d.window_name, &d.window_start, &d.window_end, &d.window_embedding, &d.window_offset,
                        &d.position_embedding, &d.position_logits}) {
    dataset->close();
  }
  d.file.close();
  std::error_code ec;
  fs::rename(d.partial_path, d.final_path, ec);
  if (ec) {
    throw DeviceError(d.final_path.string() + ": cannot rename " + d.partial_path.string() + " to it: " +
                      ec.message());
  }
  d.finished = true;
}

}  // namespace genomamba::output
