#pragma once
/// Where the windows of a variant lie on its contig (design §9, docs/scores.md). All coordinates are
/// 0-based; a variant's REF covers [pos, pos + ref_length).
#include <cstdint>
#include <string>
#include <string_view>

namespace genomamba::variants {

/// [start, start + length) on a contig.
struct Span {
  int64_t start = 0;
  int64_t length = 0;
  int64_t end() const { return start + length; }
  bool operator==(const Span&) const = default;
};

/// The centre base of a REF allele: pos + floor((ref_length - 1) / 2).
int64_t allele_centre(int64_t pos, int64_t ref_length);

/// llr and emb_*: `window` bases centred on the allele (start = centre - floor(window / 2)), shifted (not
/// truncated) to stay inside the contig; the whole contig when it is shorter than the window.
Span centred_window(int64_t contig_length, int64_t window, int64_t pos, int64_t ref_length);

/// wt_llr: windows on a fixed grid of step floor(window / 2) (the last one shifted left to end at the
/// contig's end); the variant takes the one whose middle (start + floor(window / 2)) is nearest its centre,
/// the earlier on a tie, so every variant has at least about window / 4 bases on each side away from the
/// contig ends, and nearby variants share one window (one reference pass).
Span grid_window(int64_t contig_length, int64_t window, int64_t pos, int64_t ref_length);

/// The ALT window of emb_*: on the alternative contig (contig[0, pos) + ALT + contig[pos + ref_length, n)),
/// the window of the reference window's length, from the same start, shifted left where the alternative
/// contig ends sooner ("flank from the far side"), so REF and ALT windows have equal lengths for indels.
/// Its bases are three pieces: contig `left`, ALT bases [alt_begin, alt_end), contig `right`.
struct AltWindow {
  Span left;
  int64_t alt_begin = 0;
  int64_t alt_end = 0;
  Span right;
  int64_t length() const { return left.length + (alt_end - alt_begin) + right.length; }
};
AltWindow alt_window(int64_t contig_length, const Span& ref_window, int64_t pos, int64_t ref_length,
                     int64_t alt_length);

}  // namespace genomamba::variants
