#pragma once
/// The Caduceus character tokenizer (model-spec §3), without special tokens (add_special_tokens=False).
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace genomamba::tokenize {

inline constexpr int32_t kClsId = 0;
inline constexpr int32_t kSepId = 1;
inline constexpr int32_t kBosId = 2;
inline constexpr int32_t kMaskId = 3;
inline constexpr int32_t kPadId = 4;
inline constexpr int32_t kReservedId = 5;
inline constexpr int32_t kUnkId = 6;
inline constexpr int32_t kAId = 7;
inline constexpr int32_t kCId = 8;
inline constexpr int32_t kGId = 9;
inline constexpr int32_t kTId = 10;
inline constexpr int32_t kNId = 11;
/// Ids of A, C, G, T in the column order of genomamba's logits output.
inline constexpr int32_t kNucleotideIds[4] = {kAId, kCId, kGId, kTId};

/// Token id of one character: uppercase first; A C G T N -> 7 8 9 10 11; anything else -> [UNK] 6.
int32_t token_id(char base);

/// Token ids of a sequence, one per character.
std::vector<int32_t> encode(std::string_view sequence);

/// The reverse complement of a token sequence: rc[l] = complement_map[ids[L-1-l]].
std::vector<int32_t> reverse_complement_ids(std::span<const int32_t> ids, std::span<const int> complement_map);

}  // namespace genomamba::tokenize
