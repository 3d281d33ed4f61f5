#include "output/variant_scores_reader.h"

#include <hdf5.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "core/error.h"
#include "output/hdf5_read.h"
#include "output/variant_scores_writer.h"

namespace genomamba::output {

namespace fs = std::filesystem;

namespace {

constexpr std::array<ScoreKind, 4> kAllScores = {ScoreKind::LLR, ScoreKind::WT_LLR, ScoreKind::EMB_COS,
                                                 ScoreKind::EMB_L2};
constexpr std::array<const char*, 9> kRequired = {"variants/chrom",  "variants/pos", "variants/id",
                                                  "variants/ref",    "variants/alt", "variants/allele",
                                                  "variants/status", "records/line", "records/offset"};

// The score names of /scores, in layout order: its "names" attribute, or (for a file written by other
// tools) the known scores present, in ScoreKind order.
std::vector<std::string> stored_score_names(const h5::Handle& file) {
  std::vector<std::string> names;
  if (!h5::has_link(file, "scores")) return names;
  h5::Handle group(H5Gopen2(file.get(), "scores", H5P_DEFAULT), "open group 'scores'");
  if (h5::has_attribute(group, "names") &&
      h5::attribute_kind(group, "names") == h5::AttributeKind::STRING_ARRAY) {
    return h5::read_string_array_attribute(group, "names");
  }
  for (const ScoreKind kind : kAllScores) {
    if (h5::has_link(file, std::string("scores/") + score_name(kind))) names.emplace_back(score_name(kind));
  }
  return names;
}

}  // namespace

VariantScoresReader::VariantScoresReader(const fs::path& path) : RowReader(path, kVariantScoresFormat) {
  const std::string prefix = not_ours_prefix();
  for (const char* name : kRequired) {
    if (!h5::has_link(file(), name)) throw InputError(prefix + "no /" + name + ")");
  }
  n_records_ = h5::dataset_shape(file(), "records/line").at(0);
  n_variant_rows_ = h5::dataset_shape(file(), "variants/chrom").at(0);
  auto check_rows = [&](const std::string& name, int64_t rows) {
    if (h5::dataset_shape(file(), name).at(0) != rows) {
      throw InputError(prefix + "/" + name + " has " + std::to_string(h5::dataset_shape(file(), name).at(0)) +
                       " rows, expected " + std::to_string(rows) + ")");
    }
  };
  for (const char* name : kRequired) {
    check_rows(name, std::string_view(name).starts_with("records/") ? n_records_ : n_variant_rows_);
  }

  for (const std::string& name : stored_score_names(file())) {
    const auto* kind = std::find_if(kAllScores.begin(), kAllScores.end(),
                                    [&](ScoreKind k) { return name == score_name(k); });
    if (kind == kAllScores.end()) throw InputError(prefix + "unknown score '" + name + "')");
    if (!h5::has_link(file(), "scores/" + name)) throw InputError(prefix + "no /scores/" + name + ")");
    check_rows("scores/" + name, n_variant_rows_);
    layout_.scores.push_back(*kind);
  }

  const bool has_ref = h5::has_link(file(), "embeddings/ref");
  const bool has_alt = h5::has_link(file(), "embeddings/alt");
  if (has_ref != has_alt) throw InputError(prefix + "/embeddings/ref and /embeddings/alt must come together)");
  if (has_ref) {
    const std::vector<int64_t> ref_shape = h5::dataset_shape(file(), "embeddings/ref");
    const std::vector<int64_t> alt_shape = h5::dataset_shape(file(), "embeddings/alt");
    if (ref_shape.size() != 2 || ref_shape != alt_shape || ref_shape[1] <= 0) {
      throw InputError(prefix + "/embeddings/ref and /embeddings/alt must both be [V, width])");
    }
    check_rows("embeddings/ref", n_variant_rows_);
    layout_.embedding_width = ref_shape[1];
  }
}

std::string VariantScoresReader::layout_key() const { return variant_scores_layout_key(layout_); }

std::vector<int64_t> VariantScoresReader::record_bounds(int64_t first, int64_t count) const {
  std::vector<int64_t> bounds(static_cast<size_t>(count) + 1, n_variant_rows_);
  h5::read_rows(file(), "records/offset", first, count, bounds.data());
  if (first + count < n_records_) h5::read_rows(file(), "records/offset", first + count, 1, &bounds.back());
  for (size_t k = 0; k + 1 < bounds.size(); ++k) {
    if (bounds[k] < 0 || bounds[k] > bounds[k + 1] || bounds[k + 1] > n_variant_rows_) {
      throw InputError(path().string() + ": /records/offset is not increasing within /variants at record " +
                       std::to_string(first + static_cast<int64_t>(k)));
    }
  }
  return bounds;
}

std::vector<int64_t> VariantScoresReader::row_weights() const {
  const std::vector<int64_t> bounds = record_bounds(0, n_records_);
  std::vector<int64_t> weights(static_cast<size_t>(n_records_));
  for (size_t k = 0; k < weights.size(); ++k) weights[k] = 1 + bounds[k + 1] - bounds[k];
  return weights;
}

VariantBatch VariantScoresReader::read_records(int64_t first, int64_t count) const {
  GM_CHECK(first >= 0 && count >= 0 && first + count <= n_records_, "records to read must exist");
  const std::vector<int64_t> bounds = record_bounds(first, count);
  VariantBatch batch;
  batch.record_line = h5::read_string_rows(file(), "records/line", first, count);
  for (size_t k = 0; k + 1 < bounds.size(); ++k) batch.n_rows.push_back(bounds[k + 1] - bounds[k]);

  const int64_t row0 = bounds.front();
  const int64_t n = bounds.back() - row0;
  const auto rows = static_cast<size_t>(n);
  batch.chrom = h5::read_string_rows(file(), "variants/chrom", row0, n);
  batch.id = h5::read_string_rows(file(), "variants/id", row0, n);
  batch.ref = h5::read_string_rows(file(), "variants/ref", row0, n);
  batch.alt = h5::read_string_rows(file(), "variants/alt", row0, n);
  batch.pos.resize(rows);
  batch.allele.resize(rows);
  h5::read_rows(file(), "variants/pos", row0, n, batch.pos.data());
  h5::read_rows(file(), "variants/allele", row0, n, batch.allele.data());
  // HDF5 converts the stored int8 to int64 on reading.
  std::vector<int64_t> status(rows);
  h5::read_rows(file(), "variants/status", row0, n, status.data());
  batch.status.assign(status.begin(), status.end());

  const auto n_scores = static_cast<int64_t>(layout_.scores.size());
  if (n_scores > 0) {
    batch.scores = core::Matrix(n, n_scores);
    std::vector<float> column(rows);
    for (int64_t j = 0; j < n_scores; ++j) {
      h5::read_rows(file(), std::string("scores/") + score_name(layout_.scores[static_cast<size_t>(j)]), row0, n,
                    column.data());
      for (int64_t r = 0; r < n; ++r) batch.scores.at(r, j) = column[static_cast<size_t>(r)];
    }
  }
  if (layout_.embedding_width > 0) {
    batch.ref_embedding = core::Matrix(n, layout_.embedding_width);
    batch.alt_embedding = core::Matrix(n, layout_.embedding_width);
    h5::read_rows(file(), "embeddings/ref", row0, n, batch.ref_embedding.data());
    h5::read_rows(file(), "embeddings/alt", row0, n, batch.alt_embedding.data());
  }
  return batch;
}

std::unique_ptr<RowBatch> VariantScoresReader::read(int64_t first, int64_t count) const {
  return std::make_unique<VariantBatch>(read_records(first, count));
}

}  // namespace genomamba::output
