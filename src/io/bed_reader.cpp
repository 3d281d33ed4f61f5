// BED regions (0-based, half-open). htslib does not parse BED into regions for us, so each line is read
// through BGZF (plain, gzip or bgzip) and checked strictly here.
#include <htslib/kstring.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

#include "core/error.h"
#include "io/hts_ptr.h"
#include "io/region.h"

namespace genomamba::io {
namespace {

struct KstringFree {
  kstring_t s = KS_INITIALIZE;
  ~KstringFree() { ks_free(&s); }
};

// UCSC "track name=..." and "browser position ..." lines; "track\t0\t10" is data on a contig named "track".
bool is_header_word(std::string_view line, std::string_view word) {
  return line.substr(0, word.size()) == word && (line.size() == word.size() || line[word.size()] == ' ');
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t from = 0;
  while (true) {
    const size_t tab = line.find('\t', from);
    fields.push_back(line.substr(from, tab == std::string_view::npos ? std::string_view::npos : tab - from));
    if (tab == std::string_view::npos) return fields;
    from = tab + 1;
  }
}

class BedLineError {
 public:
  BedLineError(const std::string& path, int64_t line_no, std::string_view line)
      : prefix_(path + ":" + std::to_string(line_no) + ": "),
        // Long lines are shortened: the snippet is there to recognise the line, not to reprint it.
        snippet_(line.size() > 120 ? std::string(line.substr(0, 117)) + "..." : std::string(line)) {}

  [[noreturn]] void fail(const std::string& problem) const {
    throw InputError(prefix_ + problem + "; got '" + snippet_ + "'");
  }

 private:
  std::string prefix_;
  std::string snippet_;
};

int64_t parse_coordinate(std::string_view field, const char* what, const BedLineError& error) {
  const std::string name(what);
  if (field.empty()) error.fail("empty " + name + " column");
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec == std::errc::result_out_of_range) error.fail(name + " '" + std::string(field) + "' is out of range");
  if (ec != std::errc() || end != field.data() + field.size()) {
    error.fail(name + " '" + std::string(field) + "' is not an integer");
  }
  if (value < 0) error.fail("negative " + name + " " + std::string(field));
  return value;
}

Region parse_bed_line(std::string_view line, const std::string& path, int64_t line_no) {
  const BedLineError error(path, line_no, line);
  const auto fields = split_tabs(line);
  if (fields.size() < 3) error.fail("too few columns (need chrom, start and end, tab-separated)");
  if (fields[0].empty()) error.fail("empty chrom column");
  Region region;
  region.contig = std::string(fields[0]);
  region.begin = parse_coordinate(fields[1], "start", error);
  region.end = parse_coordinate(fields[2], "end", error);
  if (region.end < region.begin) error.fail("end before start");
  if (region.end == region.begin) error.fail("empty interval (end equals start)");
  region.source = path + ":" + std::to_string(line_no);
  return region;
}

}  // namespace

std::vector<Region> read_bed(const std::string& path) {
  errno = 0;
  BgzfPtr file(bgzf_open(path.c_str(), "r"));
  if (!file) throw InputError(path + ": cannot open: " + std::strerror(errno ? errno : EIO));
  std::vector<Region> regions;
  KstringFree line;
  int64_t line_no = 0;
  while (true) {
    const int rc = bgzf_getline(file.get(), '\n', &line.s);
    if (rc == -1) break;
    ++line_no;
    if (rc < -1) throw InputError(path + ":" + std::to_string(line_no) + ": read error (corrupt or truncated file)");
    std::string_view text(line.s.s ? line.s.s : "", line.s.l);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (is_blank(text) || text.front() == '#' || is_header_word(text, "track") || is_header_word(text, "browser")) {
      continue;
    }
    regions.push_back(parse_bed_line(text, path, line_no));
  }
  if (file->errcode != 0) throw InputError(path + ": read error (corrupt or truncated compressed data)");
  if (regions.empty()) throw InputError(path + ": no regions");
  return regions;
}

}  // namespace genomamba::io
