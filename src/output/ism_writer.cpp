#include "output/ism_writer.h"

#include <hdf5.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "core/error.h"
#include "output/hdf5_dataset.h"
#include "output/hdf5_handle.h"

namespace genomamba::output {

namespace fs = std::filesystem;

std::string ism_layout_key() { return "ism"; }

void check_ism_batch(const IsmBatch& batch) {
  const int64_t n = batch.size();
  GM_CHECK(static_cast<int64_t>(batch.ref.size()) == n, "batch ref must have one entry per position");
  GM_CHECK(batch.scores.rows() == n && (n == 0 || batch.scores.cols() == kIsmBases),
           "batch scores must have shape [L, 4]");
}

namespace {

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

struct IsmWriter::Impl {
  fs::path final_path;
  fs::path partial_path;
  h5::Handle file;  // declared first: closed after every dataset
  h5::ExtendableDataset positions, ref, scores;
  bool finished = false;

  void close_all() {
    positions = h5::ExtendableDataset();
    ref = h5::ExtendableDataset();
    scores = h5::ExtendableDataset();
    file = h5::Handle();
  }
};

IsmWriter::IsmWriter(const fs::path& path, const RootAttributes& attrs) : impl_(std::make_unique<Impl>()) {
  h5::silence_errors();
  impl_->final_path = path;
  impl_->partial_path = path;
  impl_->partial_path += ".partial";

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
    RootAttributes root = attrs;
    root.format = kIsmFormat;
    write_root_attributes(impl_->file, root);
    h5::write_attribute(impl_->file, "complete", int64_t{0});
    h5::Handle group = h5::create_group(impl_->file, "ism");
    impl_->positions = h5::ExtendableDataset::create(group, "positions", h5::Element::I64, 0);
    impl_->ref = h5::ExtendableDataset::create(group, "ref", h5::Element::I8, 0);
    impl_->scores = h5::ExtendableDataset::create(group, "scores", h5::Element::F32, kIsmBases);
    h5::check(H5Fflush(impl_->file.get(), H5F_SCOPE_LOCAL), "flush " + impl_->partial_path.string());
  } catch (...) {
    impl_->close_all();
    fs::remove(impl_->partial_path, ec);
    throw;
  }
}

IsmWriter::~IsmWriter() {
  if (!impl_ || impl_->finished) return;
  impl_->close_all();
  std::error_code ec;
  fs::remove(impl_->partial_path, ec);
}

void IsmWriter::append(const RowBatch& rows, int64_t first, int64_t count) {
  Impl& d = *impl_;
  GM_CHECK(!d.finished, "append after finish()");
  const auto* batch = dynamic_cast<const IsmBatch*>(&rows);
  GM_CHECK(batch != nullptr, "IsmWriter::append needs an IsmBatch");
  GM_CHECK(first >= 0 && count >= 0 && first + count <= batch->size(), "positions to append must lie inside the batch");
  check_ism_batch(*batch);
  if (count == 0) return;
  // Scores and bases first, positions (the row count readers use) last.
  d.scores.append(batch->scores.row(first), count);
  d.ref.append(batch->ref.data() + first, count);
  d.positions.append(batch->position.data() + first, count);
}

int64_t IsmWriter::n_positions() const { return impl_->positions.rows(); }

void IsmWriter::finish() {
  Impl& d = *impl_;
  GM_CHECK(!d.finished, "finish() called twice");
  h5::write_attribute(d.file, "complete", int64_t{1});
  d.positions.close();
  d.ref.close();
  d.scores.close();
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
