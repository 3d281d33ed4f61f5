#include "output/variant_scores_writer.h"

#include <hdf5.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <vector>

#include "core/error.h"
#include "output/hdf5_dataset.h"
#include "output/hdf5_handle.h"

namespace genomamba::output {

namespace fs = std::filesystem;

std::string variant_scores_layout_key(const VariantScoresLayout& layout) {
  std::string names;
  for (const ScoreKind kind : layout.scores) {
    if (!names.empty()) names += ',';
    names += score_name(kind);
  }
  return "variant-scores scores=" + names + " embedding_width=" + std::to_string(layout.embedding_width);
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

// Rows [first, first + n) of a per-row vector.
template <typename T>
std::vector<T> slice(const std::vector<T>& v, int64_t first, int64_t n) {
  return std::vector<T>(v.begin() + first, v.begin() + first + n);
}

}  // namespace

struct VariantScoresWriter::Impl {
  fs::path final_path;
  fs::path partial_path;
  VariantScoresLayout layout;
  h5::Handle file;  // declared first: closed after every dataset
  h5::ExtendableDataset chrom, pos, id, ref, alt, allele, status;
  std::vector<h5::ExtendableDataset> scores;  // one per layout score
  h5::ExtendableDataset ref_embedding, alt_embedding;
  h5::ExtendableDataset record_line, record_offset;
  bool finished = false;

  std::vector<h5::ExtendableDataset*> datasets() {
    std::vector<h5::ExtendableDataset*> all = {&chrom, &pos, &id, &ref, &alt, &allele, &status,
                                               &ref_embedding, &alt_embedding, &record_line, &record_offset};
    for (auto& s : scores) all.push_back(&s);
    return all;
  }
  void create_datasets();
  void close_all() {
    for (auto* dataset : datasets()) *dataset = h5::ExtendableDataset();
    file = h5::Handle();
  }
};

void VariantScoresWriter::Impl::create_datasets() {
  using h5::Element;
  h5::Handle variants = h5::create_group(file, "variants");
  chrom = h5::ExtendableDataset::create(variants, "chrom", Element::STRING, 0);
  pos = h5::ExtendableDataset::create(variants, "pos", Element::I64, 0);
  id = h5::ExtendableDataset::create(variants, "id", Element::STRING, 0);
  ref = h5::ExtendableDataset::create(variants, "ref", Element::STRING, 0);
  alt = h5::ExtendableDataset::create(variants, "alt", Element::STRING, 0);
  allele = h5::ExtendableDataset::create(variants, "allele", Element::I64, 0);
  status = h5::ExtendableDataset::create(variants, "status", Element::I8, 0);

  h5::Handle score_group = h5::create_group(file, "scores");
  std::vector<std::string> names;
  for (const ScoreKind kind : layout.scores) {
    names.emplace_back(score_name(kind));
    scores.push_back(h5::ExtendableDataset::create(score_group, names.back(), Element::F32, 0));
  }
  // Group members list in name order; the attribute keeps the layout's (the TSV and INFO column) order.
  h5::write_attribute(score_group, "names", names);

  if (layout.embedding_width > 0) {
    h5::Handle embeddings = h5::create_group(file, "embeddings");
    ref_embedding = h5::ExtendableDataset::create(embeddings, "ref", Element::F32, layout.embedding_width);
    alt_embedding = h5::ExtendableDataset::create(embeddings, "alt", Element::F32, layout.embedding_width);
  }
  h5::Handle records = h5::create_group(file, "records");
  record_line = h5::ExtendableDataset::create(records, "line", Element::STRING, 0);
  record_offset = h5::ExtendableDataset::create(records, "offset", Element::I64, 0);
}

VariantScoresWriter::VariantScoresWriter(const fs::path& path, const VariantScoresLayout& layout,
                                         const RootAttributes& attrs)
    : impl_(std::make_unique<Impl>()) {
  GM_CHECK(layout.embedding_width >= 0, "layout.embedding_width must be >= 0");
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
    RootAttributes root = attrs;
    root.format = kVariantScoresFormat;
    write_root_attributes(impl_->file, root);
    h5::write_attribute(impl_->file, "complete", int64_t{0});
    impl_->create_datasets();
    h5::check(H5Fflush(impl_->file.get(), H5F_SCOPE_LOCAL), "flush " + impl_->partial_path.string());
  } catch (...) {
    impl_->close_all();
    fs::remove(impl_->partial_path, ec);
    throw;
  }
}

VariantScoresWriter::~VariantScoresWriter() {
  if (!impl_ || impl_->finished) return;
  impl_->close_all();
  std::error_code ec;
  fs::remove(impl_->partial_path, ec);
}

void VariantScoresWriter::append(const RowBatch& rows, int64_t first, int64_t count) {
  Impl& d = *impl_;
  GM_CHECK(!d.finished, "append after finish()");
  const auto* batch = dynamic_cast<const VariantBatch*>(&rows);
  GM_CHECK(batch != nullptr, "VariantScoresWriter::append needs a VariantBatch");
  GM_CHECK(first >= 0 && count >= 0 && first + count <= batch->size(), "records to append must lie inside the batch");
  check_variant_batch(d.layout, *batch);

  int64_t row0 = 0;
  for (int64_t k = 0; k < first; ++k) row0 += batch->n_rows[static_cast<size_t>(k)];
  std::vector<int64_t> offsets(static_cast<size_t>(count));
  int64_t n = 0;
  for (int64_t k = 0; k < count; ++k) {
    offsets[static_cast<size_t>(k)] = d.chrom.rows() + n;
    n += batch->n_rows[static_cast<size_t>(first + k)];
  }

  // The variant rows first, the records that point at them last.
  d.chrom.append(slice(batch->chrom, row0, n));
  d.pos.append(batch->pos.data() + row0, n);
  d.id.append(slice(batch->id, row0, n));
  d.ref.append(slice(batch->ref, row0, n));
  d.alt.append(slice(batch->alt, row0, n));
  d.allele.append(batch->allele.data() + row0, n);
  d.status.append(batch->status.data() + row0, n);
  std::vector<float> column(static_cast<size_t>(n));
  for (size_t j = 0; j < d.scores.size(); ++j) {
    for (int64_t r = 0; r < n; ++r) {
      column[static_cast<size_t>(r)] = batch->scores.at(row0 + r, static_cast<int64_t>(j));
    }
    d.scores[j].append(column.data(), n);
  }
  if (d.layout.embedding_width > 0 && n > 0) {
    d.ref_embedding.append(batch->ref_embedding.row(row0), n);
    d.alt_embedding.append(batch->alt_embedding.row(row0), n);
  }
  d.record_offset.append(offsets.data(), count);
  d.record_line.append(slice(batch->record_line, first, count));
}

int64_t VariantScoresWriter::n_records() const { return impl_->record_line.rows(); }
int64_t VariantScoresWriter::n_variant_rows() const { return impl_->chrom.rows(); }

void VariantScoresWriter::finish() {
  Impl& d = *impl_;
  GM_CHECK(!d.finished, "finish() called twice");
  h5::write_attribute(d.file, "complete", int64_t{1});
  for (auto* dataset : d.datasets()) dataset->close();
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
