#include "variants/score_window.h"

#include <algorithm>
#include <cstdlib>

#include "core/error.h"

namespace genomamba::variants {

int64_t allele_centre(int64_t pos, int64_t ref_length) { return pos + (ref_length - 1) / 2; }

Span centred_window(int64_t contig_length, int64_t window, int64_t pos, int64_t ref_length) {
  GM_CHECK(window >= 1 && contig_length >= 1, "window and contig_length must be positive");
  if (contig_length <= window) return {0, contig_length};
  const int64_t start = allele_centre(pos, ref_length) - window / 2;
  return {std::clamp<int64_t>(start, 0, contig_length - window), window};
}

Span grid_window(int64_t contig_length, int64_t window, int64_t pos, int64_t ref_length) {
  GM_CHECK(window >= 1 && contig_length >= 1, "window and contig_length must be positive");
  if (contig_length <= window) return {0, contig_length};
  const int64_t step = std::max<int64_t>(1, window / 2);
  const int64_t last = (contig_length - window + step - 1) / step;  // index of the last grid window
  const int64_t centre = allele_centre(pos, ref_length);
  const auto start_of = [&](int64_t k) { return std::min(k * step, contig_length - window); };
  // The nearest middle is at k = round((centre - window / 2) / step); look at its neighbours too, since the
  // last window is shifted.
  const int64_t guess = std::clamp<int64_t>((centre - window / 2) / step, 0, last);
  int64_t best = -1, best_distance = 0;
  for (int64_t k = std::max<int64_t>(0, guess - 1); k <= std::min(last, guess + 2); ++k) {
    const int64_t distance = std::llabs(start_of(k) + window / 2 - centre);
    if (best < 0 || distance < best_distance) {
      best = k;
      best_distance = distance;
    }
  }
  return {start_of(best), window};
}

AltWindow alt_window(int64_t contig_length, const Span& ref_window, int64_t pos, int64_t ref_length,
                     int64_t alt_length) {
  GM_CHECK(pos >= 0 && pos + ref_length <= contig_length, "the REF allele must lie on the contig");
  const int64_t alt_contig_length = contig_length - ref_length + alt_length;
  const int64_t length = std::min(ref_window.length, alt_contig_length);
  const int64_t start = std::min(ref_window.start, alt_contig_length - length);
  const int64_t end = start + length;
  // Alternative-contig index i is contig[i] before pos, ALT[i - pos] inside the allele and
  // contig[i - alt_length + ref_length] after it.
  AltWindow w;
  const int64_t left_end = std::min(end, pos);
  w.left = {start, std::max<int64_t>(0, left_end - start)};
  w.alt_begin = std::clamp<int64_t>(start - pos, 0, alt_length);
  w.alt_end = std::clamp<int64_t>(end - pos, 0, alt_length);
  const int64_t right_begin = std::max(start, pos + alt_length);
  w.right = {right_begin - alt_length + ref_length, std::max<int64_t>(0, end - right_begin)};
  return w;
}

}  // namespace genomamba::variants
