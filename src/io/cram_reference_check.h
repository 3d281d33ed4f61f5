#pragma once
// Why a CRAM file fails to decode with a given reference. HTSlib reports a reference of other content only
// as a failed read; the @SQ lines of a CRAM header carry each contig's MD5 (tag M5), so the reference can be
// checked against them after the fact, and the message can say which contig differs.
#include <string>

#include "io/hts_ptr.h"

namespace genomamba::io::detail {

/// The first contig whose sequence in `reference` (a FASTA with its .fai) differs from the M5 of the CRAM
/// header, in words ("contig 'chr1' of REF.fa has MD5 … where the CRAM was written against …"), or "" when
/// every contig with an M5 matches or nothing can be told (no M5 tags, no readable index).
std::string cram_reference_mismatch(const sam_hdr_t* header, const std::string& reference);

}  // namespace genomamba::io::detail
