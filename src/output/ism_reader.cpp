#include "output/ism_reader.h"

#include <vector>

#include "core/error.h"
#include "output/hdf5_read.h"
#include "output/ism_writer.h"

namespace genomamba::output {

IsmReader::IsmReader(const std::filesystem::path& path) : RowReader(path, kIsmFormat) {
  const std::string prefix = not_ours_prefix();
  for (const char* name : {"ism/positions", "ism/ref", "ism/scores"}) {
    if (!h5::has_link(file(), name)) throw InputError(prefix + "no /" + name + ")");
  }
  n_positions_ = h5::dataset_shape(file(), "ism/positions").at(0);
  const std::vector<int64_t> ref_shape = h5::dataset_shape(file(), "ism/ref");
  const std::vector<int64_t> scores_shape = h5::dataset_shape(file(), "ism/scores");
  if (ref_shape.size() != 1 || ref_shape[0] != n_positions_) {
    throw InputError(prefix + "/ism/ref must be [L] like /ism/positions)");
  }
  if (scores_shape.size() != 2 || scores_shape[0] != n_positions_ || scores_shape[1] != kIsmBases) {
    throw InputError(prefix + "/ism/scores must be [L, 4] like /ism/positions)");
  }
}

std::string IsmReader::layout_key() const { return ism_layout_key(); }

IsmBatch IsmReader::read_positions(int64_t first, int64_t count) const {
  GM_CHECK(first >= 0 && count >= 0 && first + count <= n_positions_, "positions to read must exist");
  IsmBatch batch;
  const auto n = static_cast<size_t>(count);
  batch.position.resize(n);
  h5::read_rows(file(), "ism/positions", first, count, batch.position.data());
  // HDF5 converts the stored int8 to int64 on reading.
  std::vector<int64_t> ref(n);
  h5::read_rows(file(), "ism/ref", first, count, ref.data());
  batch.ref.assign(ref.begin(), ref.end());
  batch.scores = core::Matrix(count, kIsmBases);
  h5::read_rows(file(), "ism/scores", first, count, batch.scores.data());
  return batch;
}

std::unique_ptr<RowBatch> IsmReader::read(int64_t first, int64_t count) const {
  return std::make_unique<IsmBatch>(read_positions(first, count));
}

}  // namespace genomamba::output
