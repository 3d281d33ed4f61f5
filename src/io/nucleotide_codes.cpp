#include "io/nucleotide_codes.h"

#include <array>
#include <cstdio>

namespace genomamba::io {

namespace {

constexpr std::array<bool, 256> make_table() {
  std::array<bool, 256> table{};
  for (const char c : std::string_view("ACGTUNRYSWKMBDHV")) {
    table[static_cast<unsigned char>(c)] = true;
    table[static_cast<unsigned char>(c - 'A' + 'a')] = true;
  }
  return table;
}

constexpr std::array<bool, 256> kIsCode = make_table();

}  // namespace

bool is_nucleotide_code(char c) { return kIsCode[static_cast<unsigned char>(c)]; }

int64_t first_non_nucleotide(std::string_view sequence) {
  for (size_t i = 0; i < sequence.size(); ++i) {
    if (!kIsCode[static_cast<unsigned char>(sequence[i])]) return static_cast<int64_t>(i);
  }
  return -1;
}

std::string describe_character(char c) {
  const auto byte = static_cast<unsigned char>(c);
  char text[32];
  if (byte >= 0x21 && byte < 0x7F) {
    std::snprintf(text, sizeof text, "'%c'", c);
  } else {
    std::snprintf(text, sizeof text, "byte 0x%02X", byte);
  }
  return text;
}

}  // namespace genomamba::io
