#include "io/cram_reference_check.h"

#include <htslib/faidx.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/sam.h>

#include <cctype>
#include <memory>
#include <string>

namespace genomamba::io::detail {

namespace {

struct Md5Destroyer {
  void operator()(hts_md5_context* ctx) const noexcept { hts_md5_destroy(ctx); }
};

struct KStringFree {
  void operator()(kstring_t* s) const noexcept { ks_free(s); }
};

// MD5 of a reference sequence as the SAM specification defines M5: upper case, characters 33..126 only.
std::string sequence_md5(const char* seq, hts_pos_t length) {
  std::unique_ptr<hts_md5_context, Md5Destroyer> ctx(hts_md5_init());
  if (!ctx) return "";
  std::string chunk;
  chunk.reserve(1 << 16);
  for (hts_pos_t i = 0; i < length; ++i) {
    const auto c = static_cast<unsigned char>(seq[i]);
    if (c < 33 || c > 126) continue;
    chunk.push_back(static_cast<char>(std::toupper(c)));
    if (chunk.size() == chunk.capacity()) {
      hts_md5_update(ctx.get(), chunk.data(), static_cast<unsigned long>(chunk.size()));
      chunk.clear();
    }
  }
  hts_md5_update(ctx.get(), chunk.data(), static_cast<unsigned long>(chunk.size()));
  unsigned char digest[16];
  hts_md5_final(digest, ctx.get());
  char hex[33];
  hts_md5_hex(hex, digest);
  return hex;
}

}  // namespace

std::string cram_reference_mismatch(const sam_hdr_t* header, const std::string& reference) {
  FaidxPtr fai(fai_load3(reference.c_str(), nullptr, nullptr, 0));
  if (!fai) return "";
  auto* h = const_cast<sam_hdr_t*>(header);  // sam_hdr_find_tag_id does not modify the header
  const int n = sam_hdr_nref(h);
  for (int tid = 0; tid < n; ++tid) {
    const char* name = sam_hdr_tid2name(h, tid);
    kstring_t text = KS_INITIALIZE;
    const std::unique_ptr<kstring_t, KStringFree> guard(&text);
    if (sam_hdr_find_tag_id(h, "SQ", "SN", name, "M5", &text) != 0 || !text.s) continue;
    const std::string expected(text.s, text.l);
    if (!faidx_has_seq(fai.get(), name)) {
      return "contig '" + std::string(name) + "' of the CRAM header is not in " + reference;
    }
    hts_pos_t length = 0;
    MallocCharPtr seq(faidx_fetch_seq64(fai.get(), name, 0, HTS_POS_MAX, &length));
    if (!seq || length < 0) return "";
    const std::string actual = sequence_md5(seq.get(), length);
    if (!actual.empty() && actual != expected) {
      return "contig '" + std::string(name) + "' of " + reference + " has MD5 " + actual +
             " where the CRAM was written against " + expected;
    }
  }
  return "";
}

}  // namespace genomamba::io::detail
