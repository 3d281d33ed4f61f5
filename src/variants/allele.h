#pragma once
/// What kind of change a VCF ALT allele is, and the checks that decide a row's status (design §8, §9).
#include <cstdint>
#include <string>
#include <string_view>

namespace genomamba::variants {

enum class AlleleKind {
  SNV,        ///< one base for one base
  MNV,        ///< several bases for as many (complex substitutions of equal length included)
  INSERTION,  ///< ALT longer than REF, REF its prefix (VCF padding base) or suffix
  DELETION,   ///< ALT shorter than REF, ALT its prefix or suffix
  COMPLEX,    ///< unequal lengths otherwise
  NOT_SCORABLE,  ///< symbolic (<DEL>), breakend, '*', '.', or any base other than A, C, G, T
};

/// Kind of `alt` against `ref` (case-insensitive). REF is taken as written (its check against the
/// reference is separate); an ALT with any character other than ACGT is NOT_SCORABLE.
AlleleKind classify_allele(std::string_view ref, std::string_view alt);

/// "SNV", "MNV", "insertion", …
const char* allele_kind_name(AlleleKind kind);

/// True when every character is one of ACGTacgt (and the string is not empty).
bool is_acgt(std::string_view bases);

/// Upper-cased copy.
std::string to_upper(std::string_view text);

}  // namespace genomamba::variants
