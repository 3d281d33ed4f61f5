#include "tokenize/reverse_complement.h"

#include <array>

namespace genomamba::tokenize {
namespace {

constexpr std::array<char, 256> make_complement_table() {
  std::array<char, 256> t{};
  for (int i = 0; i < 256; ++i) t[static_cast<size_t>(i)] = static_cast<char>(i);
  constexpr const char* kPairs[] = {"AT", "CG", "RY", "KM", "BV", "DH"};
  for (const char* p : kPairs) {
    for (int lower = 0; lower < 2; ++lower) {
      const char a = static_cast<char>(p[0] + lower * 32);
      const char b = static_cast<char>(p[1] + lower * 32);
      t[static_cast<unsigned char>(a)] = b;
      t[static_cast<unsigned char>(b)] = a;
    }
  }
  // S, W and N are their own complements (already identity); RNA U pairs with A.
  t['U'] = 'A';
  t['u'] = 'a';
  return t;
}

constexpr std::array<char, 256> kComplement = make_complement_table();

}  // namespace

char complement_base(char base) { return kComplement[static_cast<unsigned char>(base)]; }

std::string reverse_complement(std::string_view sequence) {
  std::string out(sequence.size(), '\0');
  for (size_t i = 0, n = sequence.size(); i < n; ++i) out[i] = complement_base(sequence[n - 1 - i]);
  return out;
}

}  // namespace genomamba::tokenize
