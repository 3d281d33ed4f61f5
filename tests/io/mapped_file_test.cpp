#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "core/error.h"
#include "io/mapped_file.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::io::MappedFile;
using namespace genomamba::test;

namespace {
std::string text_of(const MappedFile& file) {
  return {reinterpret_cast<const char*>(file.bytes().data()), file.size()};
}
}  // namespace

TEST_CASE("MappedFile: maps a file's bytes", "[io]") {
  TempDir dir;
  const auto path = dir / "data.bin";
  write_file(path, std::string("hello\0world", 11));
  const MappedFile file(path);
  CHECK(file.size() == 11);
  CHECK(text_of(file) == std::string("hello\0world", 11));
  CHECK(file.path() == path);
}

TEST_CASE("MappedFile: maps a zero-length file", "[io]") {
  TempDir dir;
  const auto path = dir / "empty.bin";
  write_file(path, "");
  const MappedFile file(path);
  CHECK(file.size() == 0);
  CHECK(file.bytes().empty());
}

TEST_CASE("MappedFile: moves keep the mapping", "[io]") {
  TempDir dir;
  write_file(dir / "a", "abc");
  write_file(dir / "b", "defg");
  MappedFile a(dir / "a");
  MappedFile moved(std::move(a));
  CHECK(text_of(moved) == "abc");
  MappedFile b(dir / "b");
  b = std::move(moved);
  CHECK(text_of(b) == "abc");
  CHECK(b.path() == dir / "a");
}

TEST_CASE("MappedFile: names the file it cannot open", "[io]") {
  TempDir dir;
  const auto path = dir / "absent.bin";
  REQUIRE_THROWS_AS(MappedFile(path), genomamba::InputError);
  REQUIRE_THROWS_WITH(MappedFile(path), path.string() + ": cannot open: No such file or directory");
  REQUIRE_THROWS_WITH(MappedFile(dir.path()), Contains(dir.path().string() + ": cannot map: Is a directory"));
}
