#include "output/hdf5_dataset.h"

#include <catch2/catch.hpp>

#include <hdf5.h>

#include <cmath>
#include <limits>

#include "core/error.h"
#include "output/h5_read_back.h"
#include "output/root_attributes.h"
#include "support/temp_dir.h"

namespace h5 = genomamba::output::h5;
using genomamba::test::H5File;
using genomamba::test::TempDir;

namespace {
h5::Handle create_file(const std::filesystem::path& path) {
  h5::silence_errors();
  return h5::Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "create " + path.string());
}
}  // namespace

TEST_CASE("float_to_half: rounds to nearest even and handles the edges", "[output]") {
  CHECK(h5::float_to_half(0.0f) == 0x0000);
  CHECK(h5::float_to_half(-0.0f) == 0x8000);
  CHECK(h5::float_to_half(1.0f) == 0x3c00);
  CHECK(h5::float_to_half(-2.0f) == 0xc000);
  CHECK(h5::float_to_half(0.1f) == 0x2e66);
  CHECK(h5::float_to_half(65504.0f) == 0x7bff);
  CHECK(h5::float_to_half(65519.0f) == 0x7bff);
  CHECK(h5::float_to_half(65520.0f) == 0x7c00);
  CHECK(h5::float_to_half(1e6f) == 0x7c00);
  CHECK(h5::float_to_half(-std::numeric_limits<float>::infinity()) == 0xfc00);
  const uint16_t nan = h5::float_to_half(std::numeric_limits<float>::quiet_NaN());
  CHECK((nan & 0x7c00) == 0x7c00);
  CHECK((nan & 0x03ff) != 0);
  CHECK(h5::float_to_half(std::ldexp(1.0f, -14)) == 0x0400);  // smallest normal
  CHECK(h5::float_to_half(std::ldexp(1.0f, -24)) == 0x0001);  // smallest subnormal
  CHECK(h5::float_to_half(std::ldexp(1.0f, -25)) == 0x0000);  // tie -> even (zero)
  CHECK(h5::float_to_half(std::ldexp(1.5f, -25)) == 0x0001);
  CHECK(h5::float_to_half(std::ldexp(3.0f, -25)) == 0x0002);  // 1.5 units: tie -> even (2)
  CHECK(h5::float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3c00);        // tie -> even
  CHECK(h5::float_to_half(1.0f + 3 * std::ldexp(1.0f, -11)) == 0x3c02);    // tie -> even
  CHECK(h5::float_to_half(2047.0f / 1024.0f * 0.99999994f) == 0x3fff);
  CHECK(h5::float_to_half(std::ldexp(1023.5f, -24)) == 0x0400);  // subnormal rounding carries into normal
  CHECK(h5::float_to_half(1e-30f) == 0x0000);
}

TEST_CASE("ExtendableDataset: appends grow the first axis", "[output]") {
  TempDir dir;
  const auto path = dir / "d.h5";
  {
    h5::Handle file = create_file(path);
    auto floats = h5::ExtendableDataset::create(file, "floats", h5::Element::F32, 2, 3);
    auto ints = h5::ExtendableDataset::create(file, "ints", h5::Element::I64, 0);
    auto bytes = h5::ExtendableDataset::create(file, "bytes", h5::Element::I8, 0);
    auto names = h5::ExtendableDataset::create(file, "names", h5::Element::STRING, 0);
    const float f[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    floats.append(f, 1);
    floats.append(f + 2, 4);  // crosses a chunk boundary (chunk = 3 rows)
    floats.append(f, 0);
    const int64_t i[3] = {-1, 1LL << 40, 7};
    ints.append(i, 3);
    const int8_t b[2] = {-1, 3};
    bytes.append(b, 2);
    names.append({"α-chr1", ""});
    names.append({"x"});
    CHECK(floats.rows() == 5);
    CHECK(floats.cols() == 2);
    CHECK(names.rows() == 3);
    CHECK_THROWS_AS(ints.append(f, 1), genomamba::InternalError);  // wrong element type
  }
  H5File f(path);
  CHECK(f.shape("floats") == std::vector<hsize_t>{5, 2});
  CHECK(f.floats("floats") == std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(f.ints("ints") == std::vector<int64_t>{-1, 1LL << 40, 7});
  CHECK(f.ints("bytes") == std::vector<int64_t>{-1, 3});
  CHECK(f.strings("names") == std::vector<std::string>{"α-chr1", "", "x"});
}

TEST_CASE("write_attribute: scalars, string arrays, overwrite", "[output]") {
  TempDir dir;
  const auto path = dir / "a.h5";
  {
    h5::Handle file = create_file(path);
    h5::write_attribute(file, "s", "first");
    h5::write_attribute(file, "s", std::string("second"));
    h5::write_attribute(file, "n", int64_t{0});
    h5::write_attribute(file, "n", int64_t{42});
    h5::write_attribute(file, "list", std::vector<std::string>{"a", "bé"});
    h5::write_attribute(file, "empty", std::vector<std::string>{});
  }
  H5File f(path);
  CHECK(f.string_attribute("s") == "second");
  CHECK(f.int_attribute("n") == 42);
  CHECK(f.string_array_attribute("list") == std::vector<std::string>{"a", "bé"});
  CHECK(f.has_attribute("empty"));
}

TEST_CASE("ExtendableDataset: HDF5 failures become DeviceError naming the dataset", "[output]") {
  TempDir dir;
  h5::Handle file = create_file(dir / "e.h5");
  h5::ExtendableDataset::create(file, "x", h5::Element::F32, 2);
  CHECK_THROWS_AS(h5::ExtendableDataset::create(file, "x", h5::Element::F32, 2), genomamba::DeviceError);
  CHECK_THROWS_WITH(h5::ExtendableDataset::create(file, "no/such/group", h5::Element::I64, 0),
                    Catch::Contains("dataset 'no/such/group'"));
  CHECK_THROWS_AS(h5::create_group(file, "x"), genomamba::DeviceError);
}

TEST_CASE("write_root_attributes: extra names must not collide with standard ones", "[output]") {
  TempDir dir;
  h5::Handle file = create_file(dir / "r.h5");
  genomamba::output::RootAttributes attrs;
  attrs.extra = {{"window", "x"}};
  CHECK_THROWS_AS(genomamba::output::write_root_attributes(file, attrs), genomamba::InternalError);
}

TEST_CASE("iso8601_utc_now: formats the time as YYYY-MM-DDTHH:MM:SSZ", "[output]") {
  const std::string now = genomamba::output::iso8601_utc_now();
  CHECK_THAT(now, Catch::Matches(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)"));
}
