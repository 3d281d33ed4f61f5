#include "tokenize/dna_tokenizer.h"

#include "core/error.h"

namespace genomamba::tokenize {

int32_t token_id(char base) {
  // tokenization_caduceus.py upper-cases the text, then maps A C G T N; everything else is [UNK].
  switch (base) {
    case 'A': case 'a': return kAId;
    case 'C': case 'c': return kCId;
    case 'G': case 'g': return kGId;
    case 'T': case 't': return kTId;
    case 'N': case 'n': return kNId;
    default: return kUnkId;
  }
}

std::vector<int32_t> encode(std::string_view sequence) {
  std::vector<int32_t> ids;
  ids.reserve(sequence.size());
  for (char c : sequence) ids.push_back(token_id(c));
  return ids;
}

std::vector<int32_t> reverse_complement_ids(std::span<const int32_t> ids, std::span<const int> complement_map) {
  const size_t n = ids.size();
  std::vector<int32_t> rc(n);
  for (size_t l = 0; l < n; ++l) {
    const int32_t id = ids[n - 1 - l];
    GM_CHECK(id >= 0 && static_cast<size_t>(id) < complement_map.size(), "ids must lie within complement_map");
    rc[l] = complement_map[static_cast<size_t>(id)];
  }
  return rc;
}

}  // namespace genomamba::tokenize
