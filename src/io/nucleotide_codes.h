#pragma once
/// Which characters a DNA sequence may hold: the IUPAC nucleotide codes in either case (A C G T U, N, and
/// the ambiguity codes R Y S W K M B D H V). Everything but A, C, G, T and N becomes the model's [UNK]
/// token, as in Caduceus's own tokenizer; anything else (a digit, '*', '-', an amino-acid letter such as
/// E, F, I, L, P, Q, X) means the input is not nucleotide sequence and is refused, the same way in every
/// record and every reader.
#include <cstdint>
#include <string>
#include <string_view>

namespace genomamba::io {

/// True for the IUPAC nucleotide codes, either case.
bool is_nucleotide_code(char c);

/// Index of the first character of `sequence` that is not a nucleotide code, or -1 if there is none.
int64_t first_non_nucleotide(std::string_view sequence);

/// "'X' (0x58)" for printable characters, "byte 0x07" for others: how messages show a bad character.
std::string describe_character(char c);

}  // namespace genomamba::io
