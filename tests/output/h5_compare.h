#pragma once
// Dataset-by-dataset comparison of two genomamba embeddings files (Catch2 checks), for the job, merge and
// end-to-end shard/resume tests.
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "output/h5_read_back.h"

namespace genomamba::test {

/// Bitwise equality of two float arrays.
inline bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

/// Every dataset of two embeddings files is equal (floats bit for bit, same shapes and stored element sizes).
inline void require_same_datasets(const std::filesystem::path& a, const std::filesystem::path& b) {
  INFO(a.string() + " vs " + b.string());
  H5File fa(a), fb(b);
  CHECK(fa.strings("/windows/name") == fb.strings("/windows/name"));
  for (const char* name : {"/windows/record", "/windows/start", "/windows/end", "/windows/offset"}) {
    INFO(name);
    CHECK(fa.exists(name) == fb.exists(name));
    if (fa.exists(name) && fb.exists(name)) CHECK(fa.ints(name) == fb.ints(name));
  }
  for (const char* name : {"/windows/embedding", "/positions/embedding", "/positions/logits"}) {
    INFO(name);
    CHECK(fa.exists(name) == fb.exists(name));
    if (!fa.exists(name) || !fb.exists(name)) continue;
    CHECK(fa.shape(name) == fb.shape(name));
    CHECK(fa.element_size(name) == fb.element_size(name));
    CHECK(same_bits(fa.floats(name), fb.floats(name)));
  }
}

/// Any two genomamba HDF5 files (embeddings, variant scores, ISM) hold the same datasets, with the same shapes
/// and the same values byte for byte (root attributes such as `created` may differ).
inline void require_same_all_datasets(const std::filesystem::path& a, const std::filesystem::path& b) {
  INFO(a.string() + " vs " + b.string());
  H5File fa(a), fb(b);
  const std::vector<std::string> names = fa.dataset_names();
  REQUIRE_FALSE(names.empty());
  CHECK(names == fb.dataset_names());
  for (const std::string& name : names) {
    INFO(name);
    if (!fb.exists(name)) continue;
    CHECK(fa.shape(name) == fb.shape(name));
    const bool same_values = fa.raw_values(name) == fb.raw_values(name);
    CHECK(same_values);
  }
}

}  // namespace genomamba::test
