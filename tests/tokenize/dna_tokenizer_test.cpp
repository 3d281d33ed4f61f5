#include <catch2/catch.hpp>

#include <vector>

#include "core/error.h"
#include "tokenize/dna_tokenizer.h"

using namespace genomamba::tokenize;

TEST_CASE("DnaTokenizer: maps ACGTN in either case to 7-11", "[tokenize]") {
  CHECK(encode("ACGTN") == std::vector<int32_t>{7, 8, 9, 10, 11});
  CHECK(encode("acgtn") == std::vector<int32_t>{7, 8, 9, 10, 11});
  CHECK(encode("aCgT") == std::vector<int32_t>{kAId, kCId, kGId, kTId});
}

TEST_CASE("DnaTokenizer: maps every other character to [UNK]", "[tokenize]") {
  CHECK(encode("RYKMSWBDHVU") == std::vector<int32_t>(11, kUnkId));
  CHECK(encode("-. *\n") == std::vector<int32_t>(5, kUnkId));
  CHECK(token_id('\0') == kUnkId);
  CHECK(token_id(static_cast<char>(0xC3)) == kUnkId);  // a UTF-8 lead byte
  for (int c = 0; c < 256; ++c) {
    const int32_t id = token_id(static_cast<char>(c));
    CHECK((id == kUnkId || (id >= kAId && id <= kNId)));
  }
}

TEST_CASE("DnaTokenizer: an empty sequence has no tokens", "[tokenize]") { CHECK(encode("").empty()); }

TEST_CASE("DnaTokenizer: nucleotide column order is A C G T", "[tokenize]") {
  CHECK(kNucleotideIds[0] == 7);
  CHECK(kNucleotideIds[1] == 8);
  CHECK(kNucleotideIds[2] == 9);
  CHECK(kNucleotideIds[3] == 10);
}

TEST_CASE("reverse_complement_ids: applies the Caduceus complement map in reverse", "[tokenize]") {
  const std::vector<int> map = {0, 1, 2, 3, 4, 5, 6, 10, 9, 8, 7, 11, 12, 13, 14, 15};
  const auto ids = encode("AACGTNx");  // 7 7 8 9 10 11 6
  CHECK(reverse_complement_ids(ids, map) == std::vector<int32_t>{6, 11, 7, 8, 9, 10, 10});
  CHECK(reverse_complement_ids(reverse_complement_ids(ids, map), map) == ids);
  CHECK(reverse_complement_ids(std::vector<int32_t>{}, map).empty());
  CHECK(reverse_complement_ids(std::vector<int32_t>{kPadId, kSepId}, map) == std::vector<int32_t>{kSepId, kPadId});
}

TEST_CASE("reverse_complement_ids: rejects ids outside the complement map", "[tokenize]") {
  const std::vector<int> map = {0, 1, 2};
  REQUIRE_THROWS_AS(reverse_complement_ids(std::vector<int32_t>{3}, map), genomamba::InternalError);
  REQUIRE_THROWS_AS(reverse_complement_ids(std::vector<int32_t>{-1}, map), genomamba::InternalError);
}
