#include "output/tsv_scores_writer.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <vector>

#include "core/error.h"
#include "core/system_error.h"

namespace genomamba::output {

namespace fs = std::filesystem;

std::string format_tsv_score(float value) {
  if (std::isnan(value)) return "NA";
  char text[32];
  std::snprintf(text, sizeof text, "%g", static_cast<double>(value));
  return text;
}

struct TsvScoresWriter::Impl {
  fs::path final_path;
  fs::path partial_path;
  VariantScoresLayout layout;
  std::FILE* file = nullptr;
  bool to_stdout = false;
  bool finished = false;
  std::string line;  // reused for every row

  [[noreturn]] void throw_write_error(int error) const {
    throw DeviceError(final_path.string() + ": cannot write (" + std::strerror(error) + ")");
  }
  void write(const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), file) != text.size()) throw_write_error(errno);
  }
  // Closes the file (not standard output) without reporting: for the destructor and failed constructors.
  void abandon() {
    if (file && !to_stdout) std::fclose(file);
    file = nullptr;
    if (!to_stdout) {
      std::error_code ec;
      fs::remove(partial_path, ec);
    }
  }
};

TsvScoresWriter::TsvScoresWriter(const fs::path& path, const VariantScoresLayout& layout)
    : impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  d.final_path = path;
  d.layout = layout;
  d.to_stdout = path == "-";
  if (d.to_stdout) {
    d.file = stdout;
  } else {
    d.partial_path = path;
    d.partial_path += ".partial";
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw InputError(path.string() + ": cannot create output file (it is a directory)");
    d.file = std::fopen(d.partial_path.c_str(), "wb");
    if (!d.file) {
      const int error = errno;
      if (core::is_device_errno(error)) {  // a full disk (no inode left): a job keeps its batches
        throw DeviceError(path.string() + ": cannot create output file: " + std::strerror(error));
      }
      throw InputError(path.string() + ": cannot create output file (" + std::strerror(error) + ")");
    }
  }
  std::string header = "chrom\tpos\tid\tref\talt\tallele\tstatus";
  for (const ScoreKind kind : layout.scores) {
    header += '\t';
    header += score_name(kind);
  }
  header += '\n';
  try {
    d.write(header);
  } catch (...) {
    d.abandon();
    throw;
  }
}

TsvScoresWriter::~TsvScoresWriter() {
  if (!impl_ || impl_->finished) return;
  impl_->abandon();
}

void TsvScoresWriter::append(const RowBatch& rows, int64_t first, int64_t count) {
  Impl& d = *impl_;
  GM_CHECK(!d.finished, "append after finish()");
  const auto* batch = dynamic_cast<const VariantBatch*>(&rows);
  GM_CHECK(batch != nullptr, "TsvScoresWriter::append needs a VariantBatch");
  GM_CHECK(first >= 0 && count >= 0 && first + count <= batch->size(), "records to append must lie inside the batch");
  check_variant_batch(d.layout, *batch);

  int64_t row = 0;
  for (int64_t k = 0; k < first; ++k) row += batch->n_rows[static_cast<size_t>(k)];
  int64_t end = row;
  for (int64_t k = first; k < first + count; ++k) end += batch->n_rows[static_cast<size_t>(k)];
  const auto n_scores = static_cast<int64_t>(d.layout.scores.size());
  for (; row < end; ++row) {
    const auto r = static_cast<size_t>(row);
    std::string& line = d.line;
    line = batch->chrom[r];
    line += '\t';
    line += std::to_string(batch->pos[r]);
    line += '\t';
    line += batch->id[r];
    line += '\t';
    line += batch->ref[r];
    line += '\t';
    line += batch->alt[r];
    line += '\t';
    line += std::to_string(batch->allele[r]);
    line += '\t';
    line += std::to_string(static_cast<int>(batch->status[r]));
    for (int64_t j = 0; j < n_scores; ++j) {
      line += '\t';
      line += format_tsv_score(batch->scores.at(row, j));
    }
    line += '\n';
    d.write(line);
  }
}

void TsvScoresWriter::finish() {
  Impl& d = *impl_;
  GM_CHECK(!d.finished, "finish() called twice");
  if (d.to_stdout) {
    if (std::fflush(d.file) != 0) d.throw_write_error(errno);
    d.finished = true;
    return;
  }
  const bool flushed = std::fflush(d.file) == 0 && !std::ferror(d.file);
  const int error = errno;
  const bool closed = std::fclose(d.file) == 0;
  d.file = nullptr;
  if (!flushed || !closed) d.throw_write_error(flushed ? errno : error);
  std::error_code ec;
  fs::rename(d.partial_path, d.final_path, ec);
  if (ec) {
    throw DeviceError(d.final_path.string() + ": cannot rename " + d.partial_path.string() + " to it: " +
                      ec.message());
  }
  d.finished = true;
}

}  // namespace genomamba::output
