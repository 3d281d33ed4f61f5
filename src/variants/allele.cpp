#include "variants/allele.h"

#include <algorithm>
#include <cctype>

namespace genomamba::variants {

namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
         });
}

}  // namespace

bool is_acgt(std::string_view bases) {
  return !bases.empty() && std::all_of(bases.begin(), bases.end(), [](char c) {
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return u == 'A' || u == 'C' || u == 'G' || u == 'T';
  });
}

std::string to_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

AlleleKind classify_allele(std::string_view ref, std::string_view alt) {
  // Symbolic <…>, breakends (with [ or ], or a leading/trailing '.'), '*' and '.' all fail this test.
  if (!is_acgt(alt) || ref.empty()) return AlleleKind::NOT_SCORABLE;
  if (alt.size() == ref.size()) return alt.size() == 1 ? AlleleKind::SNV : AlleleKind::MNV;
  const std::string_view longer = alt.size() > ref.size() ? alt : ref;
  const std::string_view shorter = alt.size() > ref.size() ? ref : alt;
  const bool prefix = equal_ignoring_case(longer.substr(0, shorter.size()), shorter);
  const bool suffix = equal_ignoring_case(longer.substr(longer.size() - shorter.size()), shorter);
  if (!prefix && !suffix) return AlleleKind::COMPLEX;
  return alt.size() > ref.size() ? AlleleKind::INSERTION : AlleleKind::DELETION;
}

const char* allele_kind_name(AlleleKind kind) {
  switch (kind) {
    case AlleleKind::SNV: return "SNV";
    case AlleleKind::MNV: return "MNV";
    case AlleleKind::INSERTION: return "insertion";
    case AlleleKind::DELETION: return "deletion";
    case AlleleKind::COMPLEX: return "complex";
    case AlleleKind::NOT_SCORABLE: return "not scorable";
  }
  return "?";
}

}  // namespace genomamba::variants
