#include <catch2/catch.hpp>

#include <filesystem>

#include "core/file_lock.h"
#include "support/temp_dir.h"

using genomamba::core::FileLock;
using genomamba::test::TempDir;

TEST_CASE("FileLock: a second lock on the same file is refused until the first is released", "[core]") {
  TempDir dir;
  const auto path = dir / "out.h5.lock";
  {
    FileLock first(path);
    REQUIRE(first.acquired());
    FileLock second(path);  // another open file description: flock conflicts even within one process
    CHECK_FALSE(second.acquired());
  }
  FileLock again(path);
  CHECK(again.acquired());
  again.remove();
  CHECK_FALSE(std::filesystem::exists(path));
}
