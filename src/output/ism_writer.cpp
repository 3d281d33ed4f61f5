#include "output/ism_writer.h"

#include "core/error.h"
#include "output/hdf5_dataset.h"
#include "output/hdf5_handle.h"
#include "output/partial_h5_file.h"

namespace genomamba::output {

namespace fs = std::filesystem;

std::string ism_layout_key() { return "ism"; }

void check_ism_batch(const IsmBatch& batch) {
  const int64_t n = batch.size();
  GM_CHECK(static_cast<int64_t>(batch.ref.size()) == n, "batch ref must have one entry per position");
  GM_CHECK(batch.scores.rows() == n && (n == 0 || batch.scores.cols() == kIsmBases),
           "batch scores must have shape [L, 4]");
}

struct IsmWriter::Impl {
  Impl(const fs::path& path, const RootAttributes& attrs) : file(path, attrs) {}

  PartialH5File file;  // declared first: closed after every dataset
  h5::ExtendableDataset positions, ref, scores;
  bool finished = false;
};

IsmWriter::IsmWriter(const fs::path& path, const RootAttributes& attrs) {
  RootAttributes root = attrs;
  root.format = kIsmFormat;  // the writer sets `format` itself
  impl_ = std::make_unique<Impl>(path, root);
  h5::Handle group = h5::create_group(impl_->file.handle(), "ism");
  impl_->positions = h5::ExtendableDataset::create(group, "positions", h5::Element::I64, 0);
  impl_->ref = h5::ExtendableDataset::create(group, "ref", h5::Element::I8, 0);
  impl_->scores = h5::ExtendableDataset::create(group, "scores", h5::Element::F32, kIsmBases);
  impl_->file.flush();
}

IsmWriter::~IsmWriter() = default;

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
  d.positions.close();
  d.ref.close();
  d.scores.close();
  d.file.commit();
  d.finished = true;
}

}  // namespace genomamba::output
