#pragma once
/// Reverse complement of DNA text, IUPAC-aware and case-preserving.
#include <string>
#include <string_view>

namespace genomamba::tokenize {

/// Complement of one IUPAC code (A<->T, C<->G, R<->Y, K<->M, B<->V, D<->H; S, W, N self; U -> A),
/// keeping case. Any other character is returned unchanged.
char complement_base(char base);

/// The reverse complement of `sequence`.
std::string reverse_complement(std::string_view sequence);

}  // namespace genomamba::tokenize
