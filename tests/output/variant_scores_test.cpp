#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "output/h5_read_back.h"
#include "output/ism_writer.h"
#include "output/tsv_scores_writer.h"
#include "output/variant_batch.h"
#include "output/variant_scores_format.h"
#include "output/variant_scores_reader.h"
#include "output/variant_scores_writer.h"
#include "support/checks.h"
#include "support/stdio_redirect.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

using genomamba::ConfigError;
using genomamba::UsageError;
using genomamba::InputError;
using genomamba::InternalError;
using genomamba::core::Matrix;
using genomamba::output::IsmWriter;
using genomamba::output::RootAttributes;
using genomamba::output::RowWriter;
using genomamba::output::ScoreKind;
using genomamba::output::TsvScoresWriter;
using genomamba::output::VariantBatch;
using genomamba::output::VariantScoresFormat;
using genomamba::output::VariantScoresLayout;
using genomamba::output::VariantScoresReader;
using genomamba::output::VariantScoresWriter;
using genomamba::output::VcfOutputType;
using genomamba::test::TempDir;
namespace fs = std::filesystem;

using genomamba::test::StdoutToFile;

using genomamba::test::thrown;

using genomamba::test::partial_of;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
const std::string kVcfHeader =
    "##fileformat=VCFv4.2\n##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n##contig=<ID=chr1,length=1000>\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";

RootAttributes score_attributes() {
  RootAttributes a;
  a.format = "genomamba-variant-scores";
  a.genomamba_version = "0.1.0 (git test)";
  a.command_line = "genomamba score -m M -v in.vcf -f ref.fa -o out.h5";
  a.model_path = "/models/m";
  a.model_sha256 = std::string(64, 'b');
  a.model_kind = "caduceus-ps";
  a.strand = "both";
  a.window = 16;
  a.dtype = "f32";
  a.created = "2026-01-02T03:04:05Z";
  a.input_paths = {"in.vcf", "ref.fa"};
  a.extra = {{"vcf_header", kVcfHeader}, {"reference_path", "ref.fa"}};
  return a;
}

// Adds one allele row to `b` (scores and embeddings are filled by the caller).
void add_row(VariantBatch& b, int64_t pos, const std::string& id, const std::string& ref, const std::string& alt,
             int64_t allele, int8_t status) {
  b.chrom.push_back("chr1");
  b.pos.push_back(pos);
  b.id.push_back(id);
  b.ref.push_back(ref);
  b.alt.push_back(alt);
  b.allele.push_back(allele);
  b.status.push_back(status);
}

// Four records: a multi-allelic SNV record (2 rows, NaN llr for the indel allele), a record whose rows were
// all dropped (0 rows), a REF-mismatch record (all NaN), and a plain SNV. Scores are (row, score)-dependent.
VariantBatch sample_batch(const VariantScoresLayout& layout) {
  VariantBatch b;
  b.record_line = {"chr1\t10\trs1\tA\tG,AT\t.\t.\t.", "chr1\t20\t.\tC\tT\t.\t.\t.", "chr1\t30\trs3\tG\tC\t.\t.\t.",
                   "chr1\t40\t.\tT\tA\t.\t.\tDP=3"};
  b.n_rows = {2, 0, 1, 1};
  add_row(b, 10, "rs1", "A", "G", 1, 0);
  add_row(b, 10, "rs1", "A", "AT", 2, 0);
  add_row(b, 30, "rs3", "G", "C", 1, 1);
  add_row(b, 40, ".", "T", "A", 1, 0);
  const auto n_scores = static_cast<int64_t>(layout.scores.size());
  b.scores = Matrix(4, n_scores);
  for (int64_t r = 0; r < 4; ++r)
    for (int64_t j = 0; j < n_scores; ++j) {
      b.scores.at(r, j) = -1.5f + static_cast<float>(r) * 0.25f + static_cast<float>(j);
    }
  for (int64_t j = 0; j < n_scores; ++j) b.scores.at(2, j) = kNaN;
  b.scores.at(1, 0) = kNaN;  // llr of an indel
  if (layout.embedding_width > 0) {
    b.ref_embedding = Matrix(4, layout.embedding_width);
    b.alt_embedding = Matrix(4, layout.embedding_width);
    for (int64_t r = 0; r < 4; ++r) {
      for (int64_t c = 0; c < layout.embedding_width; ++c) {
        b.ref_embedding.at(r, c) = static_cast<float>(r * 10 + c);
        b.alt_embedding.at(r, c) = static_cast<float>(r * 10 + c) + 0.5f;
      }
    }
  }
  return b;
}

bool same_floats(const Matrix& a, const Matrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (int64_t i = 0; i < a.size(); ++i) {
    const float x = a.data()[i], y = b.data()[i];
    if (!(x == y || (std::isnan(x) && std::isnan(y)))) return false;
  }
  return true;
}

// Rows [row0, row0 + n) of `m`.
Matrix rows_of(const Matrix& m, int64_t row0, int64_t n) {
  Matrix out(n, m.cols());
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < m.cols(); ++c) out.at(r, c) = m.at(row0 + r, c);
  return out;
}

// Checks that `got` holds records [first, first + count) of `want` with their rows.
void check_records(const VariantBatch& got, const VariantBatch& want, int64_t first, int64_t count) {
  int64_t row0 = 0;
  for (int64_t k = 0; k < first; ++k) row0 += want.n_rows[static_cast<size_t>(k)];
  int64_t n = 0;
  for (int64_t k = first; k < first + count; ++k) n += want.n_rows[static_cast<size_t>(k)];
  auto sub = [&](const auto& v, int64_t begin, int64_t size) {
    return std::vector<typename std::decay_t<decltype(v)>::value_type>(v.begin() + begin, v.begin() + begin + size);
  };
  CHECK(got.record_line == sub(want.record_line, first, count));
  CHECK(got.n_rows == sub(want.n_rows, first, count));
  CHECK(got.chrom == sub(want.chrom, row0, n));
  CHECK(got.pos == sub(want.pos, row0, n));
  CHECK(got.id == sub(want.id, row0, n));
  CHECK(got.ref == sub(want.ref, row0, n));
  CHECK(got.alt == sub(want.alt, row0, n));
  CHECK(got.allele == sub(want.allele, row0, n));
  CHECK(got.status == sub(want.status, row0, n));
  if (!want.scores.empty()) CHECK(same_floats(got.scores, rows_of(want.scores, row0, n)));
  if (!want.ref_embedding.empty()) {
    CHECK(same_floats(got.ref_embedding, rows_of(want.ref_embedding, row0, n)));
    CHECK(same_floats(got.alt_embedding, rows_of(want.alt_embedding, row0, n)));
  }
}

// Writes `batch` to `path` in two appends (records [0, 2) and [2, 4)).
void write_sample(const fs::path& path, const VariantScoresLayout& layout, const VariantBatch& batch) {
  VariantScoresWriter writer(path, layout, score_attributes());
  writer.append(batch, 0, 2);
  writer.append(batch, 2, 2);
  CHECK(writer.n_records() == 4);
  CHECK(writer.n_variant_rows() == 4);
  writer.finish();
}

}  // namespace

TEST_CASE("variant scores: names, INFO keys and descriptions", "[output][variant-scores]") {
  using genomamba::output::score_description;
  using genomamba::output::score_info_key;
  using genomamba::output::score_name;
  CHECK(std::string(score_name(ScoreKind::LLR)) == "llr");
  CHECK(std::string(score_name(ScoreKind::WT_LLR)) == "wt_llr");
  CHECK(std::string(score_name(ScoreKind::EMB_COS)) == "emb_cos");
  CHECK(std::string(score_name(ScoreKind::EMB_L2)) == "emb_l2");
  CHECK(score_info_key(ScoreKind::LLR) == "GM_LLR");
  CHECK(score_info_key(ScoreKind::WT_LLR) == "GM_WT_LLR");
  CHECK(score_info_key(ScoreKind::EMB_COS) == "GM_EMB_COS");
  CHECK(score_info_key(ScoreKind::EMB_L2) == "GM_EMB_L2");
  for (ScoreKind kind : {ScoreKind::LLR, ScoreKind::WT_LLR, ScoreKind::EMB_COS, ScoreKind::EMB_L2}) {
    const std::string text = score_description(kind);
    CHECK(!text.empty());
    CHECK(text.find('"') == std::string::npos);  // VCF header Description="..."
  }
}

TEST_CASE("parse_score_list: keeps the given order and refuses unknown, repeated and empty names",
          "[output][variant-scores]") {
  using genomamba::output::parse_score_list;
  CHECK(parse_score_list("llr,wt_llr") == std::vector<ScoreKind>{ScoreKind::LLR, ScoreKind::WT_LLR});
  CHECK(parse_score_list("emb_l2,llr,emb_cos,wt_llr") ==
        std::vector<ScoreKind>{ScoreKind::EMB_L2, ScoreKind::LLR, ScoreKind::EMB_COS, ScoreKind::WT_LLR});
  CHECK(parse_score_list("emb_cos") == std::vector<ScoreKind>{ScoreKind::EMB_COS});
  CHECK_THROWS_MATCHES(parse_score_list("llr,x"), UsageError,
                       Catch::Message("--scores: unknown score 'x' (choose from llr, wt_llr, emb_cos, emb_l2)"));
  CHECK_THAT(thrown<UsageError>([&] { (void)parse_score_list("LLR"); }), Catch::Contains("unknown score 'LLR'"));
  CHECK_THAT(thrown<UsageError>([&] { (void)parse_score_list("llr,wt_llr,llr"); }),
             Catch::Contains("--scores: score 'llr' given twice"));
  CHECK_THAT(thrown<UsageError>([&] { (void)parse_score_list(""); }), Catch::StartsWith("--scores: no score given"));
  CHECK_THAT(thrown<UsageError>([&] { (void)parse_score_list("llr,"); }),
             Catch::StartsWith("--scores: empty score name"));
  CHECK_THAT(thrown<UsageError>([&] { (void)parse_score_list(",llr"); }),
             Catch::StartsWith("--scores: empty score name"));
}

TEST_CASE("check_variant_batch: refuses inconsistent shapes", "[output][variant-scores]") {
  using genomamba::output::check_variant_batch;
  const VariantScoresLayout layout{{ScoreKind::LLR, ScoreKind::EMB_L2}, 3};
  CHECK_NOTHROW(check_variant_batch(layout, sample_batch(layout)));
  CHECK_NOTHROW(check_variant_batch(layout, VariantBatch{}));
  {
    VariantBatch b = sample_batch(layout);
    b.n_rows[1] = 1;  // sum(n_rows) != rows
    CHECK_THROWS_AS(check_variant_batch(layout, b), InternalError);
  }
  {
    VariantBatch b = sample_batch(layout);
    b.status.pop_back();
    CHECK_THROWS_AS(check_variant_batch(layout, b), InternalError);
  }
  {
    VariantBatch b = sample_batch(layout);
    b.scores = Matrix(4, 1);
    CHECK_THROWS_AS(check_variant_batch(layout, b), InternalError);
  }
  {
    VariantBatch b = sample_batch(layout);
    b.alt_embedding = Matrix();
    CHECK_THROWS_AS(check_variant_batch(layout, b), InternalError);
  }
  {
    const VariantScoresLayout no_embeddings{{ScoreKind::LLR, ScoreKind::EMB_L2}, 0};
    CHECK_THROWS_AS(check_variant_batch(no_embeddings, sample_batch(layout)), InternalError);
  }
}

TEST_CASE("variant_scores_layout_key: names scores in order and the embedding width", "[output][variant-scores]") {
  using genomamba::output::variant_scores_layout_key;
  CHECK(variant_scores_layout_key({{ScoreKind::LLR, ScoreKind::WT_LLR}, 0}) ==
        "variant-scores scores=llr,wt_llr embedding_width=0");
  CHECK(variant_scores_layout_key({{ScoreKind::EMB_COS}, 256}) == "variant-scores scores=emb_cos embedding_width=256");
  CHECK(variant_scores_layout_key({{ScoreKind::WT_LLR, ScoreKind::LLR}, 0}) !=
        variant_scores_layout_key({{ScoreKind::LLR, ScoreKind::WT_LLR}, 0}));
  CHECK(VariantScoresFormat({{ScoreKind::LLR}, 4}).layout_key() == "variant-scores scores=llr embedding_width=4");
  CHECK(VariantScoresFormat({{ScoreKind::LLR}, 4}).format() == "genomamba-variant-scores");
}

TEST_CASE("VariantScoresWriter/Reader: round trip with NaN, multi-allelic and empty records, embeddings",
          "[output][variant-scores]") {
  TempDir dir;
  const auto path = dir / "out.h5";
  const VariantScoresLayout layout{{ScoreKind::EMB_L2, ScoreKind::LLR, ScoreKind::WT_LLR}, 3};
  const VariantBatch batch = sample_batch(layout);
  {
    VariantScoresWriter writer(path, layout, score_attributes());
    CHECK(fs::exists(partial_of(path)));
    CHECK_FALSE(fs::exists(path));
    writer.append(batch, 0, 1);
    writer.append(batch, 1, 0);
    writer.append(batch, 1, 3);
    writer.finish();
    CHECK(fs::exists(path));
    CHECK_FALSE(fs::exists(partial_of(path)));
  }
  CHECK(fs::exists(path));
  CHECK(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) == 0);

  const VariantScoresReader reader(path);
  CHECK(reader.complete());
  CHECK(reader.layout().scores == layout.scores);
  CHECK(reader.layout().embedding_width == 3);
  CHECK(reader.layout_key() == VariantScoresFormat(layout).layout_key());
  CHECK(reader.n_rows() == 4);
  CHECK(reader.n_records() == 4);
  CHECK(reader.n_variant_rows() == 4);
  CHECK(reader.row_weights() == std::vector<int64_t>{3, 1, 2, 2});
  const RootAttributes attrs = reader.root_attributes();
  CHECK(attrs.format == "genomamba-variant-scores");
  CHECK(attrs.extra.at("vcf_header") == kVcfHeader);
  CHECK(attrs.extra.at("reference_path") == "ref.fa");
  CHECK(attrs.input_paths == std::vector<std::string>{"in.vcf", "ref.fa"});

  check_records(reader.read_records(0, 4), batch, 0, 4);
  check_records(reader.read_records(1, 2), batch, 1, 2);  // starts with the record without rows
  check_records(reader.read_records(1, 1), batch, 1, 1);  // only the record without rows
  check_records(reader.read_records(3, 1), batch, 3, 1);
  check_records(reader.read_records(4, 0), batch, 4, 0);
  const auto generic = reader.read(0, 4);
  REQUIRE(dynamic_cast<const VariantBatch*>(generic.get()) != nullptr);
  check_records(dynamic_cast<const VariantBatch&>(*generic), batch, 0, 4);
  CHECK_THROWS_AS(reader.read_records(3, 2), InternalError);

  // The layout as stored, read independently of our reader.
  genomamba::test::H5File f(path);
  CHECK(f.ints("/records/offset") == std::vector<int64_t>{0, 2, 2, 3});
  CHECK(f.element_size("/variants/status") == 1);
  CHECK(f.ints("/variants/status") == std::vector<int64_t>{0, 0, 1, 0});
  CHECK(f.ints("/variants/pos") == std::vector<int64_t>{10, 10, 30, 40});
  CHECK(f.strings("/variants/alt") == std::vector<std::string>{"G", "AT", "C", "A"});
  CHECK(f.shape("/embeddings/ref") == std::vector<hsize_t>{4, 3});
  CHECK(f.max_shape("/scores/llr") == std::vector<hsize_t>{H5S_UNLIMITED});
  CHECK(f.int_attribute("complete") == 1);
}

TEST_CASE("VariantScoresWriter: a file without scores or embeddings, and h5py reads it", "[output][variant-scores]") {
  TempDir dir;
  const auto path = dir / "out.h5";
  const VariantScoresLayout layout{{ScoreKind::LLR, ScoreKind::WT_LLR}, 0};
  write_sample(path, layout, sample_batch(layout));
  const VariantScoresReader reader(path);
  CHECK(reader.layout_key() == "variant-scores scores=llr,wt_llr embedding_width=0");
  check_records(reader.read_records(0, 4), sample_batch(layout), 0, 4);

  const auto result = genomamba::test::run_command(
      "/usr/bin/python3 -c \"import h5py, numpy as np; f = h5py.File('" + path.string() +
      "', 'r'); print(f.attrs['format'], f.attrs['complete'], f['variants/status'].dtype, "
      "f['variants/pos'].dtype, f['scores/llr'].dtype, list(f['scores'].attrs['names']), "
      "int(np.isnan(f['scores/llr'][:]).sum()), f['variants/chrom'][0].decode(), f['records/line'][3].decode())\"");
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out ==
        "genomamba-variant-scores 1 int8 int64 float32 ['llr', 'wt_llr'] 2 chr1 chr1\t40\t.\tT\tA\t.\t.\tDP=3\n");
}

TEST_CASE("VariantScoresWriter: destroyed without finish() leaves no file", "[output][variant-scores]") {
  TempDir dir;
  const auto path = dir / "out.h5";
  const VariantScoresLayout layout{{ScoreKind::LLR}, 0};
  {
    VariantScoresWriter writer(path, layout, score_attributes());
    writer.append(sample_batch(layout), 0, 4);
    CHECK(fs::exists(partial_of(path)));
  }
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(partial_of(path)));
  CHECK(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) == 0);
  CHECK_THAT(thrown<InputError>([&] { VariantScoresWriter(dir / "missing" / "out.h5", layout, score_attributes()); }),
             Catch::Contains("cannot create output file (directory"));
}

TEST_CASE("VariantScoresReader: refuses files of other formats and broken layouts", "[output][variant-scores]") {
  TempDir dir;
  const auto ism = dir / "ism.h5";
  {
    RootAttributes a = score_attributes();
    IsmWriter writer(ism, a);
    writer.finish();
  }
  CHECK_THROWS_MATCHES(
      VariantScoresReader(ism), InputError,
      Catch::Message(ism.string() + ": not a genomamba-variant-scores file (format is 'genomamba-ism')"));
  CHECK_THAT(thrown<InputError>([&] { VariantScoresReader(dir / "none.h5"); }), Catch::Contains("(no such file)"));
  genomamba::test::write_file(dir / "text.h5", "not hdf5\n");
  CHECK_THAT(thrown<InputError>([&] { VariantScoresReader(dir / "text.h5"); }), Catch::Contains("(not an HDF5 file)"));
  CHECK_THROWS_AS(VariantScoresFormat({{ScoreKind::LLR}, 0}).open_h5(ism), InputError);
  CHECK_THROWS_AS(VariantScoresFormat::of_file(ism), InputError);

  // A file with the right format attribute but a dataset removed.
  const auto broken = dir / "broken.h5";
  write_sample(broken, {{ScoreKind::LLR}, 0}, sample_batch({{ScoreKind::LLR}, 0}));
  const auto result = genomamba::test::run_command("/usr/bin/python3 -c \"import h5py; f = h5py.File('" +
                                                   broken.string() + "', 'a'); del f['records/offset']\"");
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(thrown<InputError>([&] { VariantScoresReader{broken}; }), Catch::Contains("no /records/offset)"));
}

TEST_CASE("VariantScoresFormat: of_file, create_h5/open_h5 and output types by suffix", "[output][variant-scores]") {
  TempDir dir;
  const VariantScoresLayout layout{{ScoreKind::WT_LLR, ScoreKind::EMB_COS}, 2};
  const VariantScoresFormat format(layout);
  const VariantBatch batch = sample_batch(layout);

  auto writer = format.create_h5(dir / "a.h5", score_attributes());
  writer->append(batch, 0, 4);
  writer->finish();
  const auto from_file = VariantScoresFormat::of_file(dir / "a.h5");
  CHECK(from_file->layout_key() == format.layout_key());
  CHECK(from_file->layout().scores == layout.scores);
  CHECK(format.open_h5(dir / "a.h5")->layout_key() == format.layout_key());

  CHECK(format.output_is_h5("out.h5"));
  CHECK(format.output_is_h5("out.HDF5"));
  CHECK_FALSE(format.output_is_h5("out.vcf.gz"));
  CHECK_FALSE(format.output_is_h5("out.tsv"));
  CHECK_FALSE(format.output_is_h5("-"));

  const RootAttributes attrs = score_attributes();
  auto kind_of = [](const std::unique_ptr<RowWriter>& w) -> std::string {
    if (dynamic_cast<VariantScoresWriter*>(w.get())) return "h5";
    if (dynamic_cast<TsvScoresWriter*>(w.get())) return "tsv";
    return "vcf";
  };
  CHECK(kind_of(format.create_output(dir / "o.h5", attrs)) == "h5");
  CHECK(kind_of(format.create_output(dir / "o.hdf5", attrs)) == "h5");
  CHECK(kind_of(format.create_output(dir / "o.tsv", attrs)) == "tsv");
  CHECK(kind_of(format.create_output(dir / "o.vcf", attrs)) == "vcf");
  CHECK(kind_of(format.create_output(dir / "o.vcf.gz", attrs)) == "vcf");
  CHECK(kind_of(format.create_output(dir / "o.bcf", attrs)) == "vcf");
  // Every writer above was destroyed without finish(): nothing is left behind.
  CHECK(fs::directory_iterator(dir.path()) != fs::directory_iterator());
  for (const auto& entry : fs::directory_iterator(dir.path())) CHECK(entry.path().filename() == "a.h5");

  CHECK_THROWS_MATCHES(format.create_output(dir / "o.txt", attrs), UsageError,
                       Catch::Message((dir / "o.txt").string() +
                                      ": unknown output type; use .h5, .vcf, .vcf.gz, .bcf or .tsv (or -O)"));
  CHECK_THROWS_AS(format.create_output(dir / "o", attrs), UsageError);
  CHECK_FALSE(fs::exists(dir / "o.txt.partial"));

  // -O overrides any other suffix, but not .h5 / .tsv.
  const VariantScoresFormat bcf(layout, VcfOutputType::BCF_UNCOMPRESSED);
  CHECK(kind_of(bcf.create_output(dir / "o.txt", attrs)) == "vcf");
  CHECK(kind_of(bcf.create_output(dir / "o.h5", attrs)) == "h5");
  CHECK(kind_of(bcf.create_output(dir / "o.tsv", attrs)) == "tsv");
  {
    auto w = bcf.create_output(dir / "o.vcf", attrs);
    w->append(batch, 0, 4);
    w->finish();
  }
  CHECK(genomamba::test::read_file(dir / "o.vcf").substr(0, 3) == "BCF");
}

TEST_CASE("VariantScoresFormat: '-' writes VCF to standard output", "[output][variant-scores]") {
  TempDir dir;
  const VariantScoresLayout layout{{ScoreKind::LLR}, 0};
  {
    StdoutToFile capture(dir / "stdout.txt");
    auto writer = VariantScoresFormat(layout).create_output("-", score_attributes());
    writer->append(sample_batch(layout), 0, 4);
    writer->finish();
  }
  const std::string out = genomamba::test::read_file(dir / "stdout.txt");
  CHECK(out.rfind("##fileformat=VCF", 0) == 0);
  CHECK(out.find("chr1\t40\t.\tT\tA\t.\t.\tDP=3;GM_LLR=") != std::string::npos);
  CHECK_FALSE(fs::exists("-"));
}
