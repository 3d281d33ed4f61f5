#include "output/embeddings_reader.h"

#include <array>
#include <cstring>
#include <utility>
#include <vector>

#include "core/error.h"
#include "output/hdf5_read.h"

namespace genomamba::output {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kLogitsWidth = 4;  // A, C, G, T

// Copies rows [first, first + n) of `m` into a matrix of their own (the writer takes whole matrices).
core::Matrix slice_rows(const core::Matrix& m, int64_t first, int64_t n, int64_t cols) {
  core::Matrix out(n, cols);
  if (n > 0) std::memcpy(out.data(), m.row(first), static_cast<size_t>(n * cols) * sizeof(float));
  return out;
}

}  // namespace

EmbeddingsReader::EmbeddingsReader(const fs::path& path) : RowReader(path, "genomamba-embeddings") {
  const std::string prefix = not_ours_prefix();
  if (!h5::has_link(file(), "windows/name")) throw InputError(prefix + "no /windows/name)");
  n_windows_ = h5::dataset_shape(file(), "windows/name").at(0);

  layout_.pooled = h5::has_link(file(), "windows/embedding");
  layout_.per_position = h5::has_link(file(), "positions/embedding");
  layout_.logits = h5::has_link(file(), "positions/logits");
  if (layout_.pooled) layout_.width = h5::dataset_shape(file(), "windows/embedding").at(1);
  if (layout_.per_position) {
    const std::vector<int64_t> shape = h5::dataset_shape(file(), "positions/embedding");
    if (layout_.pooled && shape.at(1) != layout_.width) {
      throw InputError(prefix + "/positions/embedding and /windows/embedding have different widths)");
    }
    layout_.width = shape.at(1);
    layout_.f16 = h5::dataset_element_bytes(file(), "positions/embedding") == 2;
  }
  if ((layout_.per_position || layout_.logits) && !h5::has_link(file(), "windows/offset")) {
    throw InputError(prefix + "/positions/* without /windows/offset)");
  }
}

std::vector<int64_t> EmbeddingsReader::window_lengths() const {
  std::vector<int64_t> start(static_cast<size_t>(n_windows_)), end(static_cast<size_t>(n_windows_));
  h5::read_rows(file(), "windows/start", 0, n_windows_, start.data());
  h5::read_rows(file(), "windows/end", 0, n_windows_, end.data());
  for (size_t k = 0; k < end.size(); ++k) end[k] -= start[k];
  return end;
}

WindowBatch EmbeddingsReader::read_windows(int64_t first, int64_t count) const {
  GM_CHECK(first >= 0 && count >= 0 && first + count <= n_windows_, "windows to read must exist");
  WindowBatch batch;
  batch.name = h5::read_string_rows(file(), "windows/name", first, count);
  batch.record.resize(static_cast<size_t>(count));
  batch.start.resize(static_cast<size_t>(count));
  batch.end.resize(static_cast<size_t>(count));
  h5::read_rows(file(), "windows/record", first, count, batch.record.data());
  h5::read_rows(file(), "windows/start", first, count, batch.start.data());
  h5::read_rows(file(), "windows/end", first, count, batch.end.data());
  if (layout_.pooled) {
    batch.pooled = core::Matrix(count, layout_.width);
    h5::read_rows(file(), "windows/embedding", first, count, batch.pooled.data());
  }
  if ((layout_.per_position || layout_.logits) && count > 0) {
    int64_t row0 = 0;
    h5::read_rows(file(), "windows/offset", first, 1, &row0);
    int64_t n_rows = 0;
    for (int64_t k = 0; k < count; ++k) n_rows += batch.end[static_cast<size_t>(k)] - batch.start[static_cast<size_t>(k)];
    if (layout_.per_position) {
      batch.per_position = core::Matrix(n_rows, layout_.width);
      h5::read_rows(file(), "positions/embedding", row0, n_rows, batch.per_position.data());
    }
    if (layout_.logits) {
      batch.logits = core::Matrix(n_rows, kLogitsWidth);
      h5::read_rows(file(), "positions/logits", row0, n_rows, batch.logits.data());
    }
  }
  return batch;
}

std::string EmbeddingsReader::layout_key() const { return embeddings_layout_key(layout_); }

std::unique_ptr<RowBatch> EmbeddingsReader::read(int64_t first, int64_t count) const {
  return std::make_unique<WindowBatch>(read_windows(first, count));
}

void check_batch(const EmbeddingsLayout& layout, const WindowBatch& batch) {
  const int64_t n = batch.size();
  GM_CHECK(static_cast<int64_t>(batch.start.size()) == n && static_cast<int64_t>(batch.end.size()) == n &&
               static_cast<int64_t>(batch.record.size()) == n,
           "batch name, record, start and end must have one entry per window");
  int64_t n_rows = 0;
  for (int64_t k = 0; k < n; ++k) {
    const int64_t length = batch.end[static_cast<size_t>(k)] - batch.start[static_cast<size_t>(k)];
    GM_CHECK(length >= 0, "batch window end must be >= start");
    n_rows += length;
  }
  if (layout.pooled) {
    GM_CHECK(batch.pooled.rows() == n && (n == 0 || batch.pooled.cols() == layout.width),
             "batch pooled must have shape [B, width]");
  } else {
    GM_CHECK(batch.pooled.empty(), "batch pooled must be empty when the layout is not pooled");
  }
  if (layout.per_position) {
    GM_CHECK(batch.per_position.rows() == n_rows && (n_rows == 0 || batch.per_position.cols() == layout.width),
             "batch per_position must have shape [sum of window lengths, width]");
  }
  if (layout.logits) {
    GM_CHECK(batch.logits.rows() == n_rows && (n_rows == 0 || batch.logits.cols() == kLogitsWidth),
             "batch logits must have shape [sum of window lengths, 4]");
  }
}

void append_window_from(EmbeddingsWriter& writer, const EmbeddingsLayout& layout, const WindowBatch& batch,
                        int64_t k, int64_t first_row) {
  const auto i = static_cast<size_t>(k);
  const int64_t length = batch.end[i] - batch.start[i];
  core::Matrix per_position, logits;
  if (layout.per_position) per_position = slice_rows(batch.per_position, first_row, length, layout.width);
  if (layout.logits) logits = slice_rows(batch.logits, first_row, length, kLogitsWidth);
  const float* pooled = layout.pooled ? batch.pooled.row(k) : nullptr;
  writer.append_window(batch.name[i], batch.record[i], batch.start[i], batch.end[i], pooled,
                       layout.per_position ? &per_position : nullptr, layout.logits ? &logits : nullptr);
}

void append_windows(EmbeddingsWriter& writer, const EmbeddingsLayout& layout, const WindowBatch& batch) {
  check_batch(layout, batch);
  int64_t row = 0;
  for (int64_t k = 0; k < batch.size(); ++k) {
    append_window_from(writer, layout, batch, k, row);
    row += batch.end[static_cast<size_t>(k)] - batch.start[static_cast<size_t>(k)];
  }
}

}  // namespace genomamba::output
