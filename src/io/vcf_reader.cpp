// VCF, bgzipped VCF and BCF records through htslib: hts_getline + vcf_parse for text (so that the raw line is at
// hand for checks and messages), bcf_read for BCF, and tabix/CSI iterators for regions with an index.
// htslib accepts much that is not VCF: a non-numeric POS becomes 0, a line of 5 columns parses, and a bgzip
// stream cut mid-block ends like a complete one. Those are checked here.
#include "io/vcf_reader.h"

#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/kstring.h>
#include <htslib/tbx.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <string_view>
#include <unordered_map>

#include "core/error.h"
#include "core/log.h"
#include "io/region.h"
#include "io/sequence_source_formats.h"

namespace genomamba::io {
namespace {

namespace fs = std::filesystem;

// hts_ptr.h has no owner for a tabix index or a kstring_t; these two are used only here.
struct TbxDestroyer {
  void operator()(tbx_t* tbx) const noexcept { tbx_destroy(tbx); }
};
using TbxPtr = std::unique_ptr<tbx_t, TbxDestroyer>;

class KString {
 public:
  KString() = default;
  ~KString() { ks_free(&s_); }
  KString(const KString&) = delete;
  KString& operator=(const KString&) = delete;
  kstring_t* get() { return &s_; }
  std::string_view view() const { return s_.s ? std::string_view(s_.s, s_.l) : std::string_view(); }

 private:
  kstring_t s_ = KS_INITIALIZE;
};

// The errcode bits htslib sets on a record it parsed but could not represent faithfully.
std::string describe_errcode(int code, const std::string& chrom) {
  std::string what;
  const auto add = [&what](const std::string& text) { what += (what.empty() ? "" : "; ") + text; };
  if (code & BCF_ERR_CTG_UNDEF) add("contig '" + chrom + "' is not declared in the header (no ##contig line)");
  if (code & BCF_ERR_CTG_INVALID) add("invalid contig name, or a contig index the header does not name");
  if (code & BCF_ERR_NCOLS) add("the number of columns does not match the header's samples");
  if (code & BCF_ERR_LIMITS) add("a value exceeds HTSlib's limits");
  if (code & BCF_ERR_CHAR) add("invalid character");
  if (code & BCF_ERR_TAG_INVALID) add("an INFO or FORMAT field does not match its header definition");
  return what.empty() ? "malformed record" : what;
}

// A 0-based half-open interval of one contig; a contig's intervals are sorted and merged.
struct Interval {
  int64_t begin;
  int64_t end;
};

struct ContigPlan {
  int rid;
  std::vector<Interval> intervals;
};

// A BCF header read as bcf_hdr_read reads it (magic, 32-bit text length, text, bcf_hdr_parse), except that the
// text buffer grows only as bytes arrive: bcf_hdr_read mallocs the claimed length first, so a 9-byte file
// claiming 4 GB allocated 4 GB (found by fuzz_vcf). nullptr when the magic or the text is short or bad.
bcf_hdr_t* read_bcf_header(htsFile* file) {
  BGZF* fp = hts_get_bgzfp(file);
  uint8_t start[9];
  if (!fp || bgzf_read(fp, start, sizeof start) != static_cast<ssize_t>(sizeof start) ||
      std::memcmp(start, "BCF\2\2", 5) != 0) {
    return nullptr;
  }
  const size_t length = start[5] | start[6] << 8 | start[7] << 16 | size_t{start[8]} << 24;
  std::string text;
  char chunk[65536];
  while (text.size() < length) {
    const size_t want = std::min(sizeof chunk, length - text.size());
    if (bgzf_read(fp, chunk, want) != static_cast<ssize_t>(want)) return nullptr;
    text.append(chunk, want);
  }
  BcfHdrPtr header(bcf_hdr_init("r"));
  if (!header || bcf_hdr_parse(header.get(), text.data()) < 0) return nullptr;
  return header.release();
}

// bcf_read, and bcf_readrec behind an index, resize their buffers to the two lengths a BCF record claims (up to
// 4 GiB each, 6 GB after their growth step) before reading the record. The claim is read here first, without
// consuming it, and refused when the file could not hold it.
struct BcfClaimCheck {
  uint64_t max_bytes = 0;  // what the decompressed file can hold; 0 for a pipe or URL, whose claims are not checked
  std::string refused;     // why the last claim was refused

  // The bound for a regular file of `file_bytes`: a deflate stream expands at most 1032-fold, so a BGZF file
  // holds under 1100 times its size; an uncompressed one holds its size.
  void set_file_size(uint64_t file_bytes, htsCompression compression) {
    max_bytes = compression == no_compression ? file_bytes : file_bytes * 1100 + 65536;
  }

  // False, with `refused` set, when the next record claims more than max_bytes.
  bool allows(BGZF* fp) {
    uint64_t claimed = 0;
    if (max_bytes == 0 || !peek_claim(fp, claimed) || claimed <= max_bytes) return true;
    refused = "the record claims " + std::to_string(claimed) + " bytes, more than the file can hold (at most " +
              std::to_string(max_bytes) + " bytes decompressed): truncated or corrupt BCF";
    return false;
  }

  // The two 32-bit lengths that start a record, summed, without consuming them. False when they cannot be read
  // (end of file, a read error, a cut-short record): bcf_read then reports it.
  static bool peek_claim(BGZF* fp, uint64_t& claimed) {
    if (bgzf_peek(fp) < 0) return false;  // loads the next block when the current one is used up
    uint8_t x[8];
    const int available = fp->block_length - fp->block_offset;
    const auto* block = static_cast<const uint8_t*>(fp->uncompressed_block) + fp->block_offset;
    if (available >= 8) {
      std::memcpy(x, block, 8);
    } else if (!fp->is_compressed) {  // the rest is still in the file's buffer
      std::memcpy(x, block, available);
      if (hpeek(fp->fp, x + available, 8 - available) != 8 - available) return false;
    } else if (!fp->is_gzip) {  // straddles two BGZF blocks: read across, then seek back (a regular file)
      const int64_t at = bgzf_tell(fp);
      const bool whole = bgzf_read(fp, x, 8) == 8;
      if (bgzf_seek(fp, at, SEEK_SET) < 0 || !whole) return false;
    } else {
      return false;
    }
    const auto u32 = [&x](int at) {
      return uint64_t{x[at]} | uint64_t{x[at + 1]} << 8 | uint64_t{x[at + 2]} << 16 | uint64_t{x[at + 3]} << 24;
    };
    claimed = u32(0) + u32(4);
    return true;
  }
};

// bcf_readrec behind the claim check, for the index iterator (an hts_readrec_func; `check` is the reader's
// BcfClaimCheck). A refused claim returns -2, as a read error does.
int checked_bcf_readrec(BGZF* fp, void* check, void* rec, int* tid, hts_pos_t* beg, hts_pos_t* end) {
  if (!static_cast<BcfClaimCheck*>(check)->allows(fp)) return -2;
  return bcf_readrec(fp, nullptr, rec, tid, beg, end);
}

}  // namespace

struct VcfReader::Impl {
  explicit Impl(const std::string& input_path);
  void set_regions(const std::vector<std::string>& texts);
  bool load_index();
  bool read();
  bool read_stream();
  bool read_indexed();
  bool start_next_interval();
  void parse_text();
  void check_errcode();
  void check_stream();
  bool wanted() const;
  void fill(VcfRecord& out);
  std::string chrom_of(int rid) const;
  [[noreturn]] void record_error(const std::string& what, bool after_last) const;

  std::string path;
  htsCompression compression = no_compression;
  bool text = false;  // VCF text, parsed here line by line; otherwise BCF
  // Destroyed in reverse order: the iterator before the index and header it refers to, the file last.
  HtsFilePtr file;
  BcfHdrPtr header;
  TbxPtr tbx;     // bgzipped VCF with an index
  HtsIdxPtr idx;  // BCF with an index
  HtsItrPtr itr;
  Bcf1Ptr rec{bcf_init()};
  BcfClaimCheck claim_check;  // BCF only
  KString line;       // the current VCF text line
  KString formatted;  // the current record as vcf_format writes it
  std::string locus;  // CHROM:POS of the current text line, as written
  int64_t n_read = 0;
  int last_rid = -1;
  int64_t last_pos = -1;
  // Regions: `plan` holds every region's contig in header order; with an index it is queried interval by
  // interval, without one `filter` selects the streamed records.
  bool with_regions = false;
  bool indexed = false;
  std::vector<ContigPlan> plan;
  std::unordered_map<int, const std::vector<Interval>*> filter;
  size_t next_contig = 0;
  size_t next_interval = 0;
  int64_t previous_end = -1;  // end of the previous interval of the current contig: its records were returned
};

VcfReader::Impl::Impl(const std::string& input_path) : path(input_path) {
  if (!rec) throw std::bad_alloc();
  HFilePtr input = detail::open_input(path);
  htsFormat format{};
  // Peeks at the first bytes (decompressing them if needed) without consuming them.
  if (hts_detect_format2(input.get(), path.c_str(), &format) < 0) {
    throw InputError(path + ": read error while detecting the file format: " + std::strerror(errno ? errno : EIO));
  }
  if (format.format == empty_format) throw InputError(path + ": empty input; expected VCF or BCF");
  if (format.format != vcf && format.format != bcf) {
    MallocCharPtr description(hts_format_description(&format));
    throw InputError(path + ": not a VCF or BCF file (" +
                     std::string(description ? description.get() : "unknown format") + ")");
  }
  file.reset(hts_hopen(input.get(), path.c_str(), "r"));
  if (!file) throw InputError(path + ": cannot open as VCF/BCF");
  static_cast<void>(input.release());  // the htsFile owns the hFILE now
  compression = format.compression;
  text = format.format == vcf;
  struct stat info {};
  const bool local = path != "-" && path.find("://") == std::string::npos;
  if (local && ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
    claim_check.set_file_size(static_cast<uint64_t>(info.st_size), compression);
  }
  if (compression == bgzf) detail::check_bgzf_eof(hts_get_bgzfp(file.get()), path);
  header.reset(text ? bcf_hdr_read(file.get()) : read_bcf_header(file.get()));
  if (!header) throw InputError(path + ": cannot read the VCF/BCF header (malformed or truncated)");
}

void VcfReader::Impl::set_regions(const std::vector<std::string>& texts) {
  std::vector<Region> regions;
  for (const std::string& text_region : texts) regions.push_back(parse_region(text_region));
  // Only the names are checked: a region may run past a contig's end, and many headers give no lengths.
  ContigLengths known;
  for (int rid = 0; rid < header->n[BCF_DT_CTG]; ++rid) {
    if (bcf_hdr_id2name(header.get(), rid)) known.emplace_back(chrom_of(rid), kRegionEnd);
  }
  check_regions(regions, known, path);
  std::map<int, std::vector<Interval>> by_rid;  // ordered by rid: the header's contig order
  for (const Region& region : regions) {
    by_rid[bcf_hdr_name2id(header.get(), region.contig.c_str())].push_back({region.begin, region.end});
  }
  for (auto& [rid, intervals] : by_rid) {
    std::sort(intervals.begin(), intervals.end(),
              [](const Interval& a, const Interval& b) { return a.begin < b.begin; });
    ContigPlan contig{rid, {}};
    for (const Interval& interval : intervals) {
      if (!contig.intervals.empty() && interval.begin <= contig.intervals.back().end) {
        contig.intervals.back().end = std::max(contig.intervals.back().end, interval.end);
      } else {
        contig.intervals.push_back(interval);
      }
    }
    plan.push_back(std::move(contig));
  }
  with_regions = true;
  indexed = load_index();
  if (!indexed) {
    for (const ContigPlan& contig : plan) filter.emplace(contig.rid, &contig.intervals);
  }
}

// The index next to a bgzipped file: .csi, then .tbi for VCF (htslib's own order), which must not be older
// than the file. A missing index is no error: the file is streamed instead.
bool VcfReader::Impl::load_index() {
  if (path == "-" || compression != bgzf) return false;
  if (path.find("://") != std::string::npos) {
    if (text) tbx.reset(tbx_index_load3(path.c_str(), nullptr, HTS_IDX_SILENT_FAIL));
    if (!text) idx.reset(bcf_index_load3(path.c_str(), nullptr, HTS_IDX_SILENT_FAIL));
    return tbx || idx;
  }
  std::error_code ec;
  std::string index_path;
  for (const char* ext : {".csi", ".tbi"}) {
    if (!text && std::strcmp(ext, ".tbi") == 0) continue;
    if (fs::exists(path + ext, ec)) {
      index_path = path + ext;
      break;
    }
  }
  if (index_path.empty()) return false;
  const std::string rebuild = index_path.ends_with(".tbi") ? "; rebuild it with 'tabix -p vcf " + path + "'"
                                                            : "; rebuild it with 'bcftools index " + path + "'";
  std::error_code data_ec;
  const auto data_time = fs::last_write_time(path, data_ec);
  const auto index_time = fs::last_write_time(index_path, ec);
  if (!data_ec && !ec && index_time < data_time) {
    throw InputError(path + ": index '" + index_path + "' is older than the file (stale)" + rebuild);
  }
  if (text) {
    tbx.reset(tbx_index_load2(path.c_str(), index_path.c_str()));
  } else {
    idx.reset(bcf_index_load2(path.c_str(), index_path.c_str()));
  }
  if (!tbx && !idx) throw InputError(path + ": cannot load the index '" + index_path + "' (corrupt?)" + rebuild);
  return true;
}

// "?" for an index the header does not name: out of range, or a hole that IDX= attributes left in its list.
std::string VcfReader::Impl::chrom_of(int rid) const {
  const char* name = rid >= 0 && rid < header->n[BCF_DT_CTG] ? bcf_hdr_id2name(header.get(), rid) : nullptr;
  return name ? name : "?";
}

// "<path>: record <n> (<chrom>:<pos>): <what>"; `after_last` names the last good record instead, for a read
// error that leaves nothing of the failed record.
void VcfReader::Impl::record_error(const std::string& what, bool after_last) const {
  std::string where;
  if (after_last) {
    if (last_rid >= 0) where = " (after " + chrom_of(last_rid) + ":" + std::to_string(last_pos + 1) + ")";
  } else if (text) {
    if (!locus.empty()) where = " (" + locus + ")";
  } else {
    where = " (" + chrom_of(rec->rid) + ":" + std::to_string(rec->pos + 1) + ")";
  }
  throw InputError(path + ": record " + std::to_string(n_read) + where + ": " + what);
}

// A bgzip stream cut mid-block reads like a complete one that ends early, its last line cut short (the
// end-of-file marker check at open cannot see that on a pipe), but the stream remembers the failed read.
void VcfReader::Impl::check_stream() {
  const BGZF* stream = file->is_bgzf ? hts_get_bgzfp(file.get()) : nullptr;
  if (stream && stream->errcode != 0) {
    ++n_read;
    record_error("truncated or corrupt compressed data", true);
  }
}

// Checks the raw line, then parses it into `rec` (vcf_parse writes into the line, so the checks come first).
void VcfReader::Impl::parse_text() {
  ++n_read;
  const std::string_view raw = line.view();
  const size_t tab1 = raw.find('\t');
  const size_t tab2 = tab1 == std::string_view::npos ? tab1 : raw.find('\t', tab1 + 1);
  const std::string_view chrom = raw.substr(0, tab1);
  const std::string_view pos =
      tab1 == std::string_view::npos ? std::string_view() : raw.substr(tab1 + 1, tab2 - tab1 - 1);
  locus.clear();
  if (tab1 != std::string_view::npos) locus.assign(chrom).append(":").append(pos);
  if (raw.empty()) record_error("empty line", false);
  const auto columns = std::count(raw.begin(), raw.end(), '\t') + 1;
  if (columns < 8) {
    const std::string snippet = raw.size() > 60 ? std::string(raw.substr(0, 60)) + "..." : std::string(raw);
    record_error("has " + std::to_string(columns) + " column(s) where VCF needs at least 8, separated by tabs; got '" +
                     snippet + "'",
                 false);
  }
  const auto digits = [](std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (pos.starts_with('-') && digits(pos.substr(1))) {
    record_error("POS " + std::string(pos) + " is negative (VCF POS is 1-based)", false);
  }
  if (!digits(pos)) record_error("POS '" + std::string(pos) + "' is not a number", false);
  // HTSlib reads an empty REF or ALT column as the allele ".", but formats and re-reads the record with no
  // ALT at all: the rows of one record would differ between the .h5/.tsv and the VCF outputs.
  size_t column_start = 0;
  for (int column = 1; column <= 5; ++column) {
    const size_t column_end = std::min(raw.find('\t', column_start), raw.size());
    if (column >= 4 && column_end == column_start) {
      record_error(column == 4 ? "empty REF column (REF must hold at least one base)"
                               : "empty ALT column (write '.' for a record without ALT alleles)",
                   false);
    }
    column_start = column_end + 1;
  }
  if (vcf_parse1(line.get(), header.get(), rec.get()) < 0) {
    record_error(describe_errcode(rec->errcode, std::string(chrom)), false);
  }
}

// Undeclared INFO/FORMAT tags (BCF_ERR_TAG_UNDEF) are tolerated: htslib warns and defines them as strings, and
// such files are common. Everything else htslib flags is an error.
void VcfReader::Impl::check_errcode() {
  if ((rec->errcode & ~BCF_ERR_TAG_UNDEF) != 0) record_error(describe_errcode(rec->errcode, chrom_of(rec->rid)), false);
}

bool VcfReader::Impl::read_stream() {
  if (text) {
    const int rc = hts_getline(file.get(), '\n', line.get());
    if (rc < -1) {
      ++n_read;
      record_error("read error (truncated or corrupt file)", true);
    }
    check_stream();
    if (rc == -1) return false;
    parse_text();
  } else {
    if (!claim_check.allows(hts_get_bgzfp(file.get()))) {
      ++n_read;
      record_error(claim_check.refused, true);
    }
    const int rc = bcf_read(file.get(), header.get(), rec.get());
    if (rc < -1) {
      ++n_read;
      record_error(rec->errcode ? describe_errcode(rec->errcode, chrom_of(rec->rid))
                                : "read error or malformed record (truncated or corrupt file)",
                   true);
    }
    check_stream();
    if (rc == -1) return false;
    ++n_read;
  }
  check_errcode();
  return true;
}

// Moves `itr` to the next interval of the plan; false when none is left.
bool VcfReader::Impl::start_next_interval() {
  while (next_contig < plan.size()) {
    const ContigPlan& contig = plan[next_contig];
    if (next_interval == contig.intervals.size()) {
      ++next_contig;
      next_interval = 0;
      previous_end = -1;
      continue;
    }
    const Interval& interval = contig.intervals[next_interval++];
    const int64_t end = std::min<int64_t>(interval.end, HTS_POS_MAX);
    if (text) {
      const int tid = tbx_name2id(tbx.get(), chrom_of(contig.rid).c_str());
      if (tid < 0) continue;  // no records on this contig
      itr.reset(tbx_itr_queryi(tbx.get(), tid, interval.begin, end));
    } else {
      itr.reset(hts_itr_query(idx.get(), contig.rid, interval.begin, end, checked_bcf_readrec));
    }
    if (!itr) throw InputError(path + ": cannot query the index for the regions (corrupt index?)");
    return true;
  }
  return false;
}

bool VcfReader::Impl::read_indexed() {
  while (true) {
    if (!itr && !start_next_interval()) return false;
    const int rc = text ? tbx_itr_next(file.get(), tbx.get(), itr.get(), line.get())
                        : hts_itr_next(hts_get_bgzfp(file.get()), itr.get(), rec.get(), &claim_check);
    if (rc == -1) {
      previous_end = plan[next_contig].intervals[next_interval - 1].end;
      itr.reset();
      continue;
    }
    if (rc < -1) {
      ++n_read;
      if (!claim_check.refused.empty()) record_error(claim_check.refused, true);
      record_error("read error or malformed record (truncated or corrupt file, or a stale index)", true);
    }
    if (text) {
      parse_text();
    } else {
      ++n_read;
    }
    check_errcode();
    return true;
  }
}

// With an index: not already returned by the previous interval of the contig (a record that starts before
// that interval's end overlaps it). Without: overlapping a region.
bool VcfReader::Impl::wanted() const {
  if (!with_regions) return true;
  if (indexed) return rec->pos >= previous_end;
  const auto found = filter.find(rec->rid);
  if (found == filter.end()) return false;
  const std::vector<Interval>& intervals = *found->second;
  const int64_t end = rec->pos + std::max<int64_t>(rec->rlen, 1);
  const auto after = std::upper_bound(intervals.begin(), intervals.end(), rec->pos,
                                      [](int64_t pos, const Interval& interval) { return pos < interval.end; });
  return after != intervals.end() && after->begin < end;
}

bool VcfReader::Impl::read() {
  while (indexed ? read_indexed() : read_stream()) {
    last_rid = rec->rid;
    last_pos = rec->pos;
    if (wanted()) return true;
  }
  return false;
}

void VcfReader::Impl::fill(VcfRecord& out) {
  if (bcf_unpack(rec.get(), BCF_UN_STR) < 0) record_error("cannot unpack the record (corrupt data)", false);
  out.number = n_read;
  out.chrom = chrom_of(rec->rid);
  out.pos = rec->pos;
  out.id = rec->d.id ? rec->d.id : ".";
  out.ref = rec->n_allele > 0 ? rec->d.allele[0] : "";
  out.alts.assign(rec->d.allele + std::min<int>(rec->n_allele, 1), rec->d.allele + rec->n_allele);
  if (rec->pos < 0) record_error("POS " + std::to_string(rec->pos + 1) + " is before the contig (VCF POS is 1-based)", false);
  // An empty allele in "A,,C" likewise.
  for (const std::string& alt : out.alts) {
    if (alt.empty()) record_error("empty ALT allele (ALT must be '.' or alleles separated by commas)", false);
  }
  formatted.get()->l = 0;
  if (vcf_format(header.get(), rec.get(), formatted.get()) < 0) {
    record_error("HTSlib cannot format the record as VCF text", false);
  }
  std::string_view text_line = formatted.view();
  if (!text_line.empty() && text_line.back() == '\n') text_line.remove_suffix(1);
  out.line.assign(text_line);
}

VcfReader::VcfReader(const std::string& path, const std::vector<std::string>& regions,
                     const std::vector<VcfContig>& contigs_if_undeclared)
    : impl_(std::make_unique<Impl>(path)) {
  bcf_hdr_t* header = impl_->header.get();
  if (header->n[BCF_DT_CTG] == 0 && !contigs_if_undeclared.empty()) {
    // Older callers write no ##contig lines. HTSlib would add each contig when it first meets it, after an
    // output header copied from this one was written; declaring the reference's contigs up front keeps
    // every header complete.
    for (const VcfContig& contig : contigs_if_undeclared) {
      std::string line = "##contig=<ID=" + contig.name;
      if (contig.length >= 0) line += ",length=" + std::to_string(contig.length);
      line += ">";
      if (bcf_hdr_append(header, line.c_str()) < 0) {
        throw InputError(path + ": cannot declare contig '" + contig.name + "' in the header (invalid name?)");
      }
    }
    if (bcf_hdr_sync(header) < 0) throw std::bad_alloc();
    log::warning(path + ": the header declares no contigs (no ##contig lines); using the " +
                 std::to_string(contigs_if_undeclared.size()) + " contigs of the reference");
  }
  if (!regions.empty()) impl_->set_regions(regions);
}

VcfReader::~VcfReader() = default;

const std::string& VcfReader::path() const { return impl_->path; }

std::string VcfReader::header_text() const {
  KString text;
  if (bcf_hdr_format(impl_->header.get(), 0, text.get()) < 0) {
    throw InputError(impl_->path + ": HTSlib cannot format the header as text");
  }
  return std::string(text.view());
}

std::vector<VcfContig> VcfReader::contigs() const {
  std::vector<VcfContig> contigs;
  const bcf_hdr_t* header = impl_->header.get();
  for (int i = 0; i < header->nhrec; ++i) {
    bcf_hrec_t* hrec = header->hrec[i];
    if (hrec->type != BCF_HL_CTG) continue;
    const int id = bcf_hrec_find_key(hrec, "ID");
    if (id < 0) continue;
    VcfContig contig{hrec->vals[id], -1};
    const int length = bcf_hrec_find_key(hrec, "length");
    if (length >= 0) {
      char* stop = nullptr;
      const long long value = std::strtoll(hrec->vals[length], &stop, 10);
      if (stop != hrec->vals[length] && *stop == '\0' && value >= 0) contig.length = value;
    }
    contigs.push_back(std::move(contig));
  }
  return contigs;
}

bool VcfReader::next(VcfRecord& record) {
  if (!impl_->read()) return false;
  impl_->fill(record);
  return true;
}

}  // namespace genomamba::io
