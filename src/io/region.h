#pragma once
/// Genomic regions: samtools-style strings (`-r`), BED files (`-R`) and their check against an input's contigs.
/// Inside genomamba every region is 0-based and half-open, like BED and htslib's hts_pos_t ranges.
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace genomamba::io {

/// Region::end value meaning "to the end of the contig".
inline constexpr int64_t kRegionEnd = std::numeric_limits<int64_t>::max();

/// A 0-based half-open interval [begin, end) on one contig.
struct Region {
  std::string contig;
  int64_t begin = 0;
  int64_t end = kRegionEnd;  ///< kRegionEnd: to the end of the contig
  /// Where the region came from, for messages: "-r 'chr1:1-10'" or "regions.bed:3". Empty if built in code.
  std::string source;

  friend bool operator==(const Region& a, const Region& b) {
    return a.contig == b.contig && a.begin == b.begin && a.end == b.end;
  }
};

/// (name, length) of every contig of an input, in file order.
using ContigLengths = std::vector<std::pair<std::string, int64_t>>;

/// Parses a samtools-style region (1-based, inclusive) into a 0-based half-open Region:
/// `chr` (whole contig), `chr:beg` (beg to the contig end), `chr:beg-end`, `chr:-end` (1 to end),
/// `chr:beg-` (beg to the contig end). Numbers may contain thousands separators (`chr1:1,000-2,000`)
/// and a k/M/G multiplier, with a fraction that must come out whole (`chr1:1.5k-2M`); a position past
/// INT64_MAX is an error, not a wrapped value. A contig name that contains ':' is written in braces:
/// `{HLA-DRB1*12:17}:1-100`.
/// @param text the option value as the user wrote it
/// The result's `source` is "-r '<text>'".
/// @throws UsageError "-r '<text>': <problem>" (e.g. "-r 'chr1:10-5': end before start").
Region parse_region(const std::string& text);

/// The region in samtools syntax, 1-based inclusive: "chr1:11-20", "chr1:11" (to the end), "chr1" (whole).
std::string to_string(const Region& region);

/// Reads a BED file (plain, gzip or bgzip): 0-based half-open, at least 3 tab-separated columns
/// (chrom, start, end; further columns are ignored). Blank lines and `#`, `track` and `browser` header
/// lines are skipped. Each region's `source` is "<path>:<line>".
/// @throws InputError "<path>: cannot open: <reason>", "<path>: no regions", or for a malformed line
///         "<path>:<line>: <problem>; got '<line text>'" (too few columns, non-integer or negative position,
///         end before start, empty interval).
std::vector<Region> read_bed(const std::string& path);

/// Checks regions against the contigs of an input.
/// @param regions regions to check
/// @param contigs the input's contig names and lengths
/// @param source_path the input, named in messages
/// @throws InputError "<input>: unknown contig 'chrZ' in region 'chrZ:1-10'" or
///         "<input>: region 'chr1:1-500' ends beyond contig 'chr1' (length 400)"; each message ends with
///         the region's source when it has one: " (regions.bed:3)" or " (-r 'chr1:1-500')".
void check_regions(const std::vector<Region>& regions, const ContigLengths& contigs, const std::string& source_path);

}  // namespace genomamba::io
