#include <catch2/catch.hpp>

#include <string>

#include "core/error.h"
#include "model/sha256.h"
#include "support/temp_dir.h"

using genomamba::model::Sha256;

namespace {

std::string digest(const std::string& text) {
  Sha256 h;
  h.update(text);
  return h.hex_digest();
}

}  // namespace

TEST_CASE("Sha256: matches the FIPS 180-4 test vectors", "[model]") {
  CHECK(digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(digest(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("Sha256: chunked updates and files give the same digest", "[model]") {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += std::to_string(i * 7919) + ",";
  Sha256 h;
  for (size_t i = 0; i < text.size(); i += 61) h.update(text.substr(i, 61));
  const std::string expected = digest(text);
  CHECK(h.hex_digest() == expected);

  genomamba::test::TempDir dir;
  genomamba::test::write_file(dir / "blob", text);
  CHECK(genomamba::model::sha256_file(dir / "blob") == expected);
  CHECK_THROWS_AS(genomamba::model::sha256_file(dir / "missing"), genomamba::InputError);
}
