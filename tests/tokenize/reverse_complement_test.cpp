#include <catch2/catch.hpp>

#include <string>

#include "tokenize/reverse_complement.h"

using namespace genomamba::tokenize;

TEST_CASE("reverse_complement: complements ACGT and keeps case", "[tokenize]") {
  CHECK(reverse_complement("ACGT") == "ACGT");
  CHECK(reverse_complement("AAACCG") == "CGGTTT");
  CHECK(reverse_complement("acgTn") == "nAcgt");
  CHECK(reverse_complement("").empty());
}

TEST_CASE("reverse_complement: complements IUPAC codes", "[tokenize]") {
  CHECK(reverse_complement("RYKMBVDHSWN") == "NWSDHBVKMRY");
  CHECK(reverse_complement("rykmbvdhswn") == "nwsdhbvkmry");
  CHECK(complement_base('U') == 'A');
  CHECK(complement_base('u') == 'a');
}

TEST_CASE("reverse_complement: leaves other characters unchanged", "[tokenize]") {
  CHECK(reverse_complement("A-.*C") == "G*.-T");
  CHECK(complement_base('X') == 'X');
  CHECK(complement_base('\n') == '\n');
  CHECK(complement_base(static_cast<char>(0xFF)) == static_cast<char>(0xFF));
}

TEST_CASE("reverse_complement: is an involution on IUPAC DNA codes", "[tokenize]") {
  const std::string iupac = "ACGTRYKMBVDHSWNacgtrykmbvdhswn";
  for (char c : iupac) {
    INFO(c);
    CHECK(complement_base(complement_base(c)) == c);
    CHECK(complement_base(c) != '\0');
  }
  CHECK(reverse_complement(reverse_complement(iupac)) == iupac);
  // Every printable character other than U/u maps back to itself after two complements.
  for (int c = 0x20; c < 0x7f; ++c) {
    if (c == 'U' || c == 'u') continue;
    CHECK(complement_base(complement_base(static_cast<char>(c))) == static_cast<char>(c));
  }
}
