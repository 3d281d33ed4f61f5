// samtools-style region strings and the check of regions against an input's contigs.
#include "io/region.h"

#include <cctype>
#include <string_view>
#include <unordered_map>

#include "core/error.h"

namespace genomamba::io {
namespace {

// Splits "chr:range" or "{chr}:range" into the contig and the text after its ':' (nullopt-like flag when
// there is no ':'). The last ':' separates them, as in samtools, so unbraced names may not end in ':<range>'.
struct RegionParts {
  std::string contig;
  bool has_range = false;
  std::string range;
};

RegionParts split_region(const std::string& text, const std::string& flag) {
  RegionParts parts;
  if (text.front() == '{') {
    const size_t close = text.find('}');
    if (close == std::string::npos) throw UsageError(flag + ": unmatched '{'");
    parts.contig = text.substr(1, close - 1);
    const std::string rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') throw UsageError(flag + ": expected ':' after '}'");
      parts.has_range = true;
      parts.range = rest.substr(1);
    }
    return parts;
  }
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    parts.contig = text;
  } else {
    parts.contig = text.substr(0, colon);
    parts.has_range = true;
    parts.range = text.substr(colon + 1);
  }
  return parts;
}

// One 1-based position in samtools syntax: digits with optional ',' thousands separators, then an optional
// fraction and k/M/G multiplier ("1,000", "1.5k" = 1500); the whole text must be consumed. htslib's
// hts_parse_decimal is not used for this: it does not detect overflow, so a 20-digit number wrapped around to
// a small position and "1e2147483647" spun for seconds multiplying by ten (found by fuzz_region).
int64_t parse_position(const std::string& text, const char* what, const std::string& flag) {
  if (text.empty()) throw UsageError(flag + ": missing " + what + " position");
  const std::string quoted = flag + ": " + what + " position '" + text + "'";
  std::string_view rest(text);
  size_t scale = 0;  // the suffix's power of ten
  switch (rest.back()) {
    case 'k': case 'K': scale = 3; break;
    case 'm': case 'M': scale = 6; break;
    case 'g': case 'G': scale = 9; break;
    default: break;
  }
  if (scale != 0) rest.remove_suffix(1);
  std::string digits;  // integer and fraction digits, without separators or the point
  size_t fraction = 0;
  bool point = false;
  for (const char c : rest) {
    if (c >= '0' && c <= '9') {
      digits += c;
      fraction += point ? 1 : 0;
    } else if (c == ',' && !point) {
      continue;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      throw UsageError(quoted + " is not a number");
    }
  }
  if (digits.empty()) throw UsageError(quoted + " is not a number");
  // Scale by 10^(scale - fraction): pad with zeros, or drop fraction digits that must be zeros.
  if (fraction <= scale) {
    digits.append(scale - fraction, '0');
  } else {
    const size_t drop = fraction - scale;
    if (digits.find_first_not_of('0', digits.size() - drop) != std::string::npos) {
      throw UsageError(quoted + " is not a whole number");
    }
    digits.resize(digits.size() - drop);
  }
  int64_t value = 0;
  for (const char c : digits) {
    if (__builtin_mul_overflow(value, 10, &value) || __builtin_add_overflow(value, c - '0', &value)) {
      throw UsageError(quoted + " is too large");
    }
  }
  if (value < 1) {
    throw UsageError(flag + ": " + what + " position " + std::to_string(value) +
                      " is not valid (positions are 1-based)");
  }
  return value;
}

}  // namespace

Region parse_region(const std::string& text) {
  const std::string flag = "-r '" + text + "'";
  if (text.empty()) throw UsageError(flag + ": empty region");
  const RegionParts parts = split_region(text, flag);
  if (parts.contig.empty()) throw UsageError(flag + ": missing contig name");
  for (const char c : parts.contig) {
    if (std::isspace(static_cast<unsigned char>(c))) throw UsageError(flag + ": contig name contains whitespace");
  }
  Region region;
  region.contig = parts.contig;
  region.source = flag;
  // "chr" and "chr:" are the whole contig (htslib accepts both).
  if (!parts.has_range || parts.range.empty()) return region;
  const std::string& range = parts.range;
  const size_t dash = range.find('-');
  if (dash == 0) {
    region.end = parse_position(range.substr(1), "end", flag);  // chr:-end
    return region;
  }
  region.begin = parse_position(range.substr(0, dash), "start", flag) - 1;
  if (dash != std::string::npos && dash + 1 < range.size()) {
    region.end = parse_position(range.substr(dash + 1), "end", flag);
    if (region.end <= region.begin) throw UsageError(flag + ": end before start");
  }
  return region;
}

std::string to_string(const Region& region) {
  // Built with append: GCC 12 gives a false -Wrestrict for "{" + name + "}" (GCC bug 105329).
  std::string text;
  const bool braced = region.contig.find(':') != std::string::npos;
  if (braced) text.push_back('{');
  text.append(region.contig);
  if (braced) text.push_back('}');
  if (region.begin == 0 && region.end == kRegionEnd) return text;
  text.append(":").append(std::to_string(region.begin + 1));
  if (region.end != kRegionEnd) text.append("-").append(std::to_string(region.end));
  return text;
}

void check_regions(const std::vector<Region>& regions, const ContigLengths& contigs, const std::string& source_path) {
  std::unordered_map<std::string, int64_t> length_of;
  length_of.reserve(contigs.size());
  for (const auto& [name, length] : contigs) length_of.emplace(name, length);
  for (const Region& region : regions) {
    const std::string where = region.source.empty() ? "" : " (" + region.source + ")";
    const auto found = length_of.find(region.contig);
    if (found == length_of.end()) {
      throw InputError(source_path + ": unknown contig '" + region.contig + "' in region '" + to_string(region) +
                       "'" + where);
    }
    const int64_t length = found->second;
    const std::string contig = "contig '" + region.contig + "' (length " + std::to_string(length) + ")";
    if (region.begin >= length) {
      throw InputError(source_path + ": region '" + to_string(region) + "' starts beyond the end of " + contig +
                       where);
    }
    if (region.end != kRegionEnd && region.end > length) {
      throw InputError(source_path + ": region '" + to_string(region) + "' ends beyond " + contig + where);
    }
  }
}

}  // namespace genomamba::io
