#include "output/embeddings_writer.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "core/error.h"
#include "output/job_fixtures.h"
#include "output/h5_read_back.h"
#include "support/checks.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

using genomamba::core::Matrix;
using genomamba::output::EmbeddingsLayout;
using genomamba::output::EmbeddingsWriter;
using genomamba::output::RootAttributes;
using genomamba::test::H5File;
using genomamba::test::TempDir;
namespace fs = std::filesystem;

using genomamba::test::partial_of;

namespace {

// The job tests' attributes, with the whole-record window and two inputs.
RootAttributes sample_attributes() {
  RootAttributes a = genomamba::test::job_attributes();
  a.window = 0;
  a.stride = 0;
  a.input_paths = {"in.fa", "second.fa"};
  return a;
}

// [rows, cols] with value(r, c) = base + r * cols + c.
Matrix ramp(int64_t rows, int64_t cols, float base) {
  Matrix m(rows, cols);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) m.at(r, c) = base + static_cast<float>(r * cols + c);
  return m;
}

std::vector<float> column_mean(const Matrix& m) {
  std::vector<float> mean(static_cast<size_t>(m.cols()), 0.0f);
  for (int64_t r = 0; r < m.rows(); ++r)
    for (int64_t c = 0; c < m.cols(); ++c) mean[static_cast<size_t>(c)] += m.at(r, c) / static_cast<float>(m.rows());
  return mean;
}

}  // namespace

TEST_CASE("EmbeddingsWriter: round trip of windows, positions, logits and attributes", "[output]") {
  TempDir dir;
  const auto path = dir / "out.h5";
  const Matrix h1 = ramp(4, 3, 0.0f), h2 = ramp(2, 3, 100.0f);
  const Matrix l1 = ramp(4, 4, -5.0f), l2 = ramp(2, 4, 7.0f);
  const auto p1 = column_mean(h1), p2 = column_mean(h2);
  {
    EmbeddingsWriter writer(path, EmbeddingsLayout{3, true, true, false}, sample_attributes());
    CHECK(fs::exists(partial_of(path)));
    CHECK_FALSE(fs::exists(path));
    writer.append_window("chr1", 0, 0, 4, p1.data(), &h1, &l1);
    writer.append_window("chrX dup", 1, 10, 12, p2.data(), &h2, &l2);
    CHECK(writer.n_windows() == 2);
    writer.finish();
    CHECK(fs::exists(path));
    CHECK_FALSE(fs::exists(partial_of(path)));
  }
  CHECK(fs::exists(path));  // the destructor after finish() keeps the file
  CHECK(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) == 0);  // every HDF5 handle was closed

  H5File f(path);
  CHECK(f.strings("/windows/name") == std::vector<std::string>{"chr1", "chrX dup"});
  CHECK(f.ints("/windows/start") == std::vector<int64_t>{0, 10});
  CHECK(f.ints("/windows/end") == std::vector<int64_t>{4, 12});
  CHECK(f.ints("/windows/offset") == std::vector<int64_t>{0, 4});
  CHECK(f.shape("/windows/embedding") == std::vector<hsize_t>{2, 3});
  std::vector<float> pooled = p1;
  pooled.insert(pooled.end(), p2.begin(), p2.end());
  CHECK(f.floats("/windows/embedding") == pooled);

  CHECK(f.shape("/positions/embedding") == std::vector<hsize_t>{6, 3});
  CHECK(f.element_size("/positions/embedding") == 4);
  std::vector<float> rows(h1.span().begin(), h1.span().end());
  rows.insert(rows.end(), h2.span().begin(), h2.span().end());
  CHECK(f.floats("/positions/embedding") == rows);
  CHECK(f.shape("/positions/logits") == std::vector<hsize_t>{6, 4});
  std::vector<float> logits(l1.span().begin(), l1.span().end());
  logits.insert(logits.end(), l2.span().begin(), l2.span().end());
  CHECK(f.floats("/positions/logits") == logits);

  // Extendable along the first axis only.
  CHECK(f.max_shape("/positions/embedding") == std::vector<hsize_t>{H5S_UNLIMITED, 3});
  CHECK(f.max_shape("/windows/name") == std::vector<hsize_t>{H5S_UNLIMITED});

  CHECK(f.string_attribute("format") == "genomamba-embeddings");
  CHECK(f.int_attribute("format_version") == 1);
  CHECK(f.string_attribute("genomamba_version") == "0.1.0 (git test)");
  CHECK(f.string_attribute("command_line") == "genomamba embed -m M -i in.fa -o out.h5");
  CHECK(f.string_attribute("model_path") == "/models/m");
  CHECK(f.string_attribute("model_sha256") == std::string(64, 'a'));
  CHECK(f.string_attribute("model_config") == "{\"d_model\": 3}");
  CHECK(f.string_attribute("model_kind") == "caduceus-ph");
  CHECK(f.string_attribute("strand") == "both");
  CHECK(f.int_attribute("window") == 0);
  CHECK(f.int_attribute("stride") == 0);
  CHECK(f.string_attribute("dtype") == "f32");
  CHECK(f.string_attribute("created") == "2026-01-02T03:04:05Z");
  CHECK(f.string_array_attribute("input_paths") == std::vector<std::string>{"in.fa", "second.fa"});
  CHECK(f.string_attribute("reference_path") == "ref.fa");
  CHECK(f.int_attribute("complete") == 1);
}

TEST_CASE("EmbeddingsWriter: numeric datasets are chunked with shuffle and deflate", "[output]") {
  TempDir dir;
  const auto path = dir / "out.h5";
  {
    EmbeddingsWriter writer(path, EmbeddingsLayout{8, true, false, false}, sample_attributes());
    const Matrix h = ramp(5, 8, 1.0f);
    writer.append_window("a", 0, 0, 5, column_mean(h).data(), &h, nullptr);
    writer.finish();
  }
  H5File f(path);
  const hid_t dataset = H5Dopen2(f.id(), "/positions/embedding", H5P_DEFAULT);
  const hid_t plist = H5Dget_create_plist(dataset);
  CHECK(H5Pget_layout(plist) == H5D_CHUNKED);
  REQUIRE(H5Pget_nfilters(plist) == 2);
  unsigned flags = 0;
  unsigned level[1] = {0};
  size_t n_values = 0;
  CHECK(H5Pget_filter2(plist, 0, &flags, &n_values, nullptr, 0, nullptr, nullptr) == H5Z_FILTER_SHUFFLE);
  n_values = 1;
  CHECK(H5Pget_filter2(plist, 1, &flags, &n_values, level, 0, nullptr, nullptr) == H5Z_FILTER_DEFLATE);
  CHECK(level[0] == 4);
  H5Pclose(plist);
  H5Dclose(dataset);
}

TEST_CASE("EmbeddingsWriter: pooled-only layout has no offsets and no positions", "[output]") {
  TempDir dir;
  const auto path = dir / "pooled.h5";
  const std::vector<float> pooled = {1.0f, 2.0f};
  {
    EmbeddingsWriter writer(path, EmbeddingsLayout{2, false, false, false}, sample_attributes());
    writer.append_window("r", 0, 0, 7, pooled.data(), nullptr, nullptr);
    writer.finish();
  }
  H5File f(path);
  CHECK(f.floats("/windows/embedding") == pooled);
  CHECK_FALSE(f.exists("/windows/offset"));
  CHECK_FALSE(f.exists("/positions"));
}

TEST_CASE("EmbeddingsWriter: logits only writes offsets and logits but no per-position embedding", "[output]") {
  TempDir dir;
  const auto path = dir / "logits.h5";
  const Matrix l = ramp(3, 4, 0.5f);
  const std::vector<float> pooled = {1.0f};
  {
    EmbeddingsWriter writer(path, EmbeddingsLayout{1, false, true, false}, sample_attributes());
    writer.append_window("r", 0, 0, 3, pooled.data(), nullptr, &l);
    writer.finish();
  }
  H5File f(path);
  CHECK(f.ints("/windows/offset") == std::vector<int64_t>{0});
  CHECK(f.shape("/positions/logits") == std::vector<hsize_t>{3, 4});
  CHECK_FALSE(f.exists("/positions/embedding"));
}

TEST_CASE("EmbeddingsWriter: a writer destroyed before finish() leaves no file", "[output]") {
  TempDir dir;
  const auto path = dir / "out.h5";
  const std::vector<float> pooled = {1.0f, 2.0f};
  {
    EmbeddingsWriter writer(path, EmbeddingsLayout{2, false, false, false}, sample_attributes());
    writer.append_window("r", 0, 0, 7, pooled.data(), nullptr, nullptr);
    REQUIRE(fs::exists(partial_of(path)));
    // The partial file is a valid HDF5 file that says it is incomplete.
    fs::copy_file(partial_of(path), dir / "snapshot.h5");
  }
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(partial_of(path)));
  CHECK(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) == 0);
  H5File snapshot(dir / "snapshot.h5");
  CHECK(snapshot.int_attribute("complete") == 0);
}

TEST_CASE("EmbeddingsWriter: an exception while writing removes the partial file", "[output]") {
  TempDir dir;
  const auto path = dir / "out.h5";
  const std::vector<float> pooled = {1.0f, 2.0f};
  const Matrix wrong = ramp(3, 5, 0.0f);
  auto run = [&] {
    EmbeddingsWriter writer(path, EmbeddingsLayout{2, true, false, false}, sample_attributes());
    writer.append_window("r", 0, 0, 3, pooled.data(), &wrong, nullptr);  // width 5 != 2
  };
  CHECK_THROWS_AS(run(), genomamba::InternalError);
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(partial_of(path)));
}

TEST_CASE("EmbeddingsWriter: finish() replaces an existing output file", "[output]") {
  TempDir dir;
  const auto path = dir / "out.h5";
  genomamba::test::write_file(path, "old contents");
  const std::vector<float> pooled = {3.0f};
  {
    EmbeddingsWriter writer(path, EmbeddingsLayout{1, false, false, false}, sample_attributes());
    writer.append_window("r", 0, 0, 1, pooled.data(), nullptr, nullptr);
    writer.finish();
  }
  H5File f(path);
  CHECK(f.floats("/windows/embedding") == pooled);
}

TEST_CASE("EmbeddingsWriter: float16 per-position embeddings are stored as IEEE half", "[output]") {
  TempDir dir;
  const auto path = dir / "f16.h5";
  Matrix h(2, 4);
  const float values[8] = {1.0f, -2.5f, 0.1f, 65504.0f, 1e-8f, 6.1035156e-05f, 1.0f / 3.0f, 70000.0f};
  for (int i = 0; i < 8; ++i) h.data()[i] = values[i];
  const std::vector<float> pooled(4, 0.0f);
  {
    auto attrs = sample_attributes();
    attrs.dtype = "f16";
    EmbeddingsWriter writer(path, EmbeddingsLayout{4, true, false, true}, attrs);
    writer.append_window("r", 0, 0, 2, pooled.data(), &h, nullptr);
    writer.finish();
  }
  {
    H5File f(path);
    CHECK(f.element_size("/positions/embedding") == 2);
    CHECK(f.element_size("/windows/embedding") == 4);
    const auto back = f.floats("/positions/embedding");  // HDF5 converts half -> float on read
    REQUIRE(back.size() == 8);
    CHECK(back[0] == 1.0f);
    CHECK(back[1] == -2.5f);
    CHECK(back[2] == Approx(0.0999755859375f));
    CHECK(back[3] == 65504.0f);
    CHECK(back[4] == 0.0f);
    CHECK(back[5] == 6.1035156e-05f);
    CHECK(back[6] == Approx(0.333251953125f));
    CHECK(std::isinf(back[7]));
    CHECK(f.string_attribute("dtype") == "f16");
  }
  // h5py (numpy) sees float16 and the same values.
  const auto result = genomamba::test::run_command(
      "/usr/bin/python3 -c \"import h5py, numpy as np; d = h5py.File('" + path.string() +
      "', 'r')['positions/embedding']; print(d.dtype, d.shape, repr(float(d[0, 2])), repr(float(d[1, 1])))\"");
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out == "float16 (2, 4) 0.0999755859375 6.103515625e-05\n");
}

TEST_CASE("EmbeddingsWriter: an output it cannot create is an InputError naming the path", "[output]") {
  TempDir dir;
  const EmbeddingsLayout layout{2, false, false, false};
  SECTION("missing directory") {
    const auto path = dir / "no-such-dir" / "out.h5";
    try {
      EmbeddingsWriter writer(path, layout, sample_attributes());
      FAIL("expected InputError");
    } catch (const genomamba::InputError& e) {
      CHECK_THAT(e.what(), Catch::StartsWith(path.string() + ": cannot create output file"));
      CHECK_THAT(e.what(), Catch::Contains("does not exist"));
    }
  }
  SECTION("path is a directory") {
    const auto path = dir / "a-dir";
    fs::create_directory(path);
    CHECK_THROWS_WITH(EmbeddingsWriter(path, layout, sample_attributes()),
                      Catch::StartsWith(path.string() + ": cannot create output file"));
    CHECK_FALSE(fs::exists(partial_of(path)));
  }
}
