#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "output/h5_read_back.h"
#include "output/ism_format.h"
#include "output/ism_reader.h"
#include "output/ism_writer.h"
#include "output/variant_scores_writer.h"
#include "support/checks.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

using genomamba::InputError;
using genomamba::InternalError;
using genomamba::core::Matrix;
using genomamba::output::IsmBatch;
using genomamba::output::IsmFormat;
using genomamba::output::IsmReader;
using genomamba::output::IsmWriter;
using genomamba::output::RootAttributes;
using genomamba::test::TempDir;
namespace fs = std::filesystem;

using genomamba::test::thrown;

using genomamba::test::partial_of;

namespace {

RootAttributes ism_attributes() {
  RootAttributes a;
  a.genomamba_version = "0.1.0 (git test)";
  a.command_line = "genomamba ism -m M -f ref.fa -r chr2:101-105 -o out.h5";
  a.model_path = "/models/m";
  a.model_sha256 = std::string(64, 'c');
  a.model_kind = "caduceus-ph";
  a.strand = "fwd";
  a.window = 32;
  a.dtype = "f32";
  a.created = "2026-01-02T03:04:05Z";
  a.input_paths = {"ref.fa"};
  a.extra = {{"contig", "chr2"}, {"region", "chr2:101-105"}};
  return a;
}

// Positions 101..105 of a contig reading "ACGNT": scores (p, b) with 0 on the reference column and NaN for N.
IsmBatch sample_batch() {
  IsmBatch b;
  b.position = {101, 102, 103, 104, 105};
  b.ref = {0, 1, 2, -1, 3};
  b.scores = Matrix(5, 4);
  for (int64_t r = 0; r < 5; ++r) {
    for (int64_t c = 0; c < 4; ++c) {
      const int8_t ref = b.ref[static_cast<size_t>(r)];
      b.scores.at(r, c) = ref < 0 ? std::numeric_limits<float>::quiet_NaN()
                          : c == ref ? 0.0f
                                     : -0.5f * static_cast<float>(r + 1) + static_cast<float>(c);
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

}  // namespace

TEST_CASE("IsmWriter/IsmReader: round trip of positions, bases and scores with NaN", "[output][ism]") {
  TempDir dir;
  const auto path = dir / "ism.h5";
  const IsmBatch batch = sample_batch();
  {
    IsmWriter writer(path, ism_attributes());
    CHECK(fs::exists(partial_of(path)));
    writer.append(batch, 0, 2);
    writer.append(batch, 2, 0);
    writer.append(batch, 2, 3);
    CHECK(writer.n_positions() == 5);
    CHECK_FALSE(fs::exists(path));
    writer.finish();
  }
  CHECK(fs::exists(path));
  CHECK_FALSE(fs::exists(partial_of(path)));
  CHECK(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) == 0);

  const IsmReader reader(path);
  CHECK(reader.complete());
  CHECK(reader.n_rows() == 5);
  CHECK(reader.layout_key() == "ism");
  CHECK(reader.layout_key() == IsmFormat().layout_key());
  CHECK(reader.row_weights() == std::vector<int64_t>(5, 1));
  const RootAttributes attrs = reader.root_attributes();
  CHECK(attrs.format == "genomamba-ism");  // set by the writer
  CHECK(attrs.extra.at("contig") == "chr2");
  CHECK(attrs.extra.at("region") == "chr2:101-105");
  CHECK(attrs.window == 32);

  const IsmBatch all = reader.read_positions(0, 5);
  CHECK(all.position == batch.position);
  CHECK(all.ref == batch.ref);
  CHECK(same_floats(all.scores, batch.scores));
  const auto part = reader.read(3, 2);
  const auto& tail = dynamic_cast<const IsmBatch&>(*part);
  CHECK(tail.position == std::vector<int64_t>{104, 105});
  CHECK(tail.ref == std::vector<int8_t>{-1, 3});
  CHECK(std::isnan(tail.scores.at(0, 2)));
  CHECK(tail.scores.at(1, 3) == 0.0f);
  CHECK(reader.read_positions(5, 0).size() == 0);
  CHECK_THROWS_AS(reader.read_positions(4, 2), InternalError);

  genomamba::test::H5File f(path);
  CHECK(f.element_size("/ism/ref") == 1);
  CHECK(f.shape("/ism/scores") == std::vector<hsize_t>{5, 4});
  CHECK(f.max_shape("/ism/positions") == std::vector<hsize_t>{H5S_UNLIMITED});

  const auto result = genomamba::test::run_command(
      "/usr/bin/python3 -c \"import h5py, numpy as np; f = h5py.File('" + path.string() +
      "', 'r'); print(f.attrs['format'], f['ism/positions'].dtype, f['ism/ref'].dtype, f['ism/scores'].dtype, "
      "f['ism/scores'].shape, list(f['ism/ref'][:]), int(np.isnan(f['ism/scores'][:]).sum()))\"");
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out == "genomamba-ism int64 int8 float32 (5, 4) [0, 1, 2, -1, 3] 4\n");
}

TEST_CASE("IsmWriter: destroyed without finish() leaves no file; bad batches are refused", "[output][ism]") {
  TempDir dir;
  const auto path = dir / "ism.h5";
  {
    IsmWriter writer(path, ism_attributes());
    writer.append(sample_batch(), 0, 5);
    IsmBatch bad = sample_batch();
    bad.ref.pop_back();
    CHECK_THROWS_AS(writer.append(bad, 0, 1), InternalError);
    CHECK_THROWS_AS(writer.append(sample_batch(), 3, 3), InternalError);
  }
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(partial_of(path)));
  CHECK_THAT(thrown<InputError>([&] { IsmWriter(dir.path(), ism_attributes()); }),
             Catch::Contains("cannot create output file (it is a directory)"));
}

TEST_CASE("IsmFormat: creates and opens ISM files and refuses other formats", "[output][ism]") {
  TempDir dir;
  const IsmFormat format;
  CHECK(format.format() == "genomamba-ism");
  CHECK(format.output_is_h5(dir / "x.h5"));
  {
    auto writer = format.create_output(dir / "a.h5", ism_attributes());
    writer->append(sample_batch(), 0, 5);
    writer->finish();
  }
  CHECK(format.open_h5(dir / "a.h5")->n_rows() == 5);
  CHECK(IsmFormat::of_file(dir / "a.h5")->layout_key() == "ism");

  const auto scores = dir / "scores.h5";
  {
    genomamba::output::VariantScoresWriter writer(scores, {{}, 0}, ism_attributes());
    writer.finish();
  }
  CHECK_THROWS_MATCHES(
      format.open_h5(scores), InputError,
      Catch::Message(scores.string() + ": not a genomamba-ism file (format is 'genomamba-variant-scores')"));
  CHECK_THROWS_AS(IsmFormat::of_file(scores), InputError);
}
