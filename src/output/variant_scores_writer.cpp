#include "output/variant_scores_writer.h"

#include <vector>

#include "core/error.h"
#include "output/hdf5_dataset.h"
#include "output/hdf5_handle.h"
#include "output/partial_h5_file.h"

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

// Rows [first, first + n) of a per-row vector.
template <typename T>
std::vector<T> slice(const std::vector<T>& v, int64_t first, int64_t n) {
  return std::vector<T>(v.begin() + first, v.begin() + first + n);
}

// The writer sets `format` itself, whatever the caller's attributes say.
RootAttributes with_format(RootAttributes attrs) {
  attrs.format = kVariantScoresFormat;
  return attrs;
}

}  // namespace

struct VariantScoresWriter::Impl {
  Impl(const fs::path& path, const RootAttributes& attrs, const VariantScoresLayout& l) : file(path, attrs), layout(l) {}

  PartialH5File file;  // declared first: closed after every dataset
  VariantScoresLayout layout;
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
};

void VariantScoresWriter::Impl::create_datasets() {
  using h5::Element;
  h5::Handle variants = h5::create_group(file.handle(), "variants");
  chrom = h5::ExtendableDataset::create(variants, "chrom", Element::STRING, 0);
  pos = h5::ExtendableDataset::create(variants, "pos", Element::I64, 0);
  id = h5::ExtendableDataset::create(variants, "id", Element::STRING, 0);
  ref = h5::ExtendableDataset::create(variants, "ref", Element::STRING, 0);
  alt = h5::ExtendableDataset::create(variants, "alt", Element::STRING, 0);
  allele = h5::ExtendableDataset::create(variants, "allele", Element::I64, 0);
  status = h5::ExtendableDataset::create(variants, "status", Element::I8, 0);

  h5::Handle score_group = h5::create_group(file.handle(), "scores");
  std::vector<std::string> names;
  for (const ScoreKind kind : layout.scores) {
    names.emplace_back(score_name(kind));
    scores.push_back(h5::ExtendableDataset::create(score_group, names.back(), Element::F32, 0));
  }
  // Group members list in name order; the attribute keeps the layout's (the TSV and INFO column) order.
  h5::write_attribute(score_group, "names", names);

  if (layout.embedding_width > 0) {
    h5::Handle embeddings = h5::create_group(file.handle(), "embeddings");
    ref_embedding = h5::ExtendableDataset::create(embeddings, "ref", Element::F32, layout.embedding_width);
    alt_embedding = h5::ExtendableDataset::create(embeddings, "alt", Element::F32, layout.embedding_width);
  }
  h5::Handle records = h5::create_group(file.handle(), "records");
  record_line = h5::ExtendableDataset::create(records, "line", Element::STRING, 0);
  record_offset = h5::ExtendableDataset::create(records, "offset", Element::I64, 0);
}

VariantScoresWriter::VariantScoresWriter(const fs::path& path, const VariantScoresLayout& layout,
                                         const RootAttributes& attrs) {
  GM_CHECK(layout.embedding_width >= 0, "layout.embedding_width must be >= 0");
  impl_ = std::make_unique<Impl>(path, with_format(attrs), layout);
  impl_->create_datasets();
  impl_->file.flush();
}

VariantScoresWriter::~VariantScoresWriter() = default;

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
  for (auto* dataset : d.datasets()) dataset->close();
  d.file.commit();
  d.finished = true;
}

}  // namespace genomamba::output
