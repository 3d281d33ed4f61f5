// samtools-style region strings and the check of regions against an input's contigs.
#include "io/region.h"

#include <htslib/hts.h>

#include <cctype>
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
    if (close == std::string::npos) throw ConfigError(flag + ": unmatched '{'");
    parts.contig = text.substr(1, close - 1);
    const std::string rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') throw ConfigError(flag + ": expected ':' after '}'");
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

// One 1-based position through htslib's number syntax (thousands separators, k/M/G); the whole text must
// be consumed.
int64_t parse_position(const std::string& text, const char* what, const std::string& flag) {
  if (text.empty()) throw ConfigError(flag + ": missing " + what + " position");
  char* stop = nullptr;
  const long long value = hts_parse_decimal(text.c_str(), &stop, HTS_PARSE_THOUSANDS_SEP);
  if (stop == text.c_str() || *stop != '\0' || std::isspace(static_cast<unsigned char>(text.front()))) {
    throw ConfigError(flag + ": " + what + " position '" + text + "' is not a number");
  }
  if (value < 1) {
    throw ConfigError(flag + ": " + what + " position " + std::to_string(value) +
                      " is not valid (positions are 1-based)");
  }
  return value;
}

}  // namespace

Region parse_region(const std::string& text) {
  const std::string flag = "-r '" + text + "'";
  if (text.empty()) throw ConfigError(flag + ": empty region");
  const RegionParts parts = split_region(text, flag);
  if (parts.contig.empty()) throw ConfigError(flag + ": missing contig name");
  for (const char c : parts.contig) {
    if (std::isspace(static_cast<unsigned char>(c))) throw ConfigError(flag + ": contig name contains whitespace");
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
    if (region.end <= region.begin) throw ConfigError(flag + ": end before start");
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
