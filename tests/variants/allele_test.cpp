#include "variants/allele.h"

#include <catch2/catch.hpp>

using genomamba::variants::AlleleKind;
using genomamba::variants::classify_allele;

TEST_CASE("classify_allele: every VCF allele class", "[variants]") {
  CHECK(classify_allele("A", "G") == AlleleKind::SNV);
  CHECK(classify_allele("a", "g") == AlleleKind::SNV);
  CHECK(classify_allele("AC", "GT") == AlleleKind::MNV);
  CHECK(classify_allele("ACG", "ATG") == AlleleKind::MNV);
  CHECK(classify_allele("A", "ATTT") == AlleleKind::INSERTION);
  CHECK(classify_allele("A", "TTTA") == AlleleKind::INSERTION);  // right-anchored
  CHECK(classify_allele("ATTT", "A") == AlleleKind::DELETION);
  CHECK(classify_allele("ACG", "TT") == AlleleKind::COMPLEX);
  CHECK(classify_allele("AC", "TTT") == AlleleKind::COMPLEX);
  for (const char* alt : {"<DEL>", "<INS:ME>", "A[chr2:10[", "]chr2:10]A", ".A", "A.", "*", ".", "N", "R", "AN", ""}) {
    CAPTURE(alt);
    CHECK(classify_allele("A", alt) == AlleleKind::NOT_SCORABLE);
  }
  CHECK(classify_allele("", "A") == AlleleKind::NOT_SCORABLE);
}

TEST_CASE("is_acgt and to_upper", "[variants]") {
  CHECK(genomamba::variants::is_acgt("ACGTacgt"));
  CHECK_FALSE(genomamba::variants::is_acgt(""));
  CHECK_FALSE(genomamba::variants::is_acgt("ACN"));
  CHECK(genomamba::variants::to_upper("acgN<del>") == "ACGN<DEL>");
}
