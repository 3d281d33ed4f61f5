#include "output/vcf_scores_writer.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <new>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/error.h"
#include "core/system_error.h"
#include "io/hts_ptr.h"

namespace genomamba::output {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kGmInfoPrefix = "##INFO=<ID=GM_";
constexpr std::string_view kProvenancePrefix = "##genomamba_";
constexpr int kInfoColumn = 7;  // 0-based: CHROM POS ID REF ALT QUAL FILTER INFO

std::string to_lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// hts_open modes, as bcftools' hts_bcf_wmode() spells them.
const char* write_mode(VcfOutputType type) {
  switch (type) {
    case VcfOutputType::VCF: return "w";
    case VcfOutputType::VCF_GZ: return "wz";
    case VcfOutputType::BCF: return "wb";
    case VcfOutputType::BCF_UNCOMPRESSED: return "wbu";
  }
  throw InternalError("unknown VcfOutputType");
}

// A generic header line's value must stay on its line, and htslib drops a line without a value.
std::string header_value(const std::string& value) {
  std::string out = value;
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out.empty() ? "." : out;
}

// Description="..." of a structured header line: quotes and backslashes escaped.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : header_value(text)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The input's header with its GM_* INFO definitions and ##genomamba_* lines replaced by this run's.
std::string build_header_text(const VariantScoresLayout& layout, const RootAttributes& attrs) {
  const auto it = attrs.extra.find("vcf_header");
  GM_CHECK(it != attrs.extra.end(), "attrs.extra must hold \"vcf_header\" (the input's VCF header text)");
  const std::string& input = it->second;

  std::string meta, sample_line;
  for (size_t start = 0; start < input.size();) {
    size_t end = input.find('\n', start);
    if (end == std::string::npos) end = input.size();
    const std::string_view line(input.data() + start, end - start);
    start = end + 1;
    if (line.starts_with("#CHROM")) {
      sample_line = line;
      break;
    }
    if (line.empty() || line.starts_with(kGmInfoPrefix) || line.starts_with(kProvenancePrefix)) continue;
    meta.append(line).append("\n");
  }
  if (sample_line.empty()) throw InternalError("the input's VCF header text has no #CHROM line");

  std::string scores;
  for (ScoreKind kind : layout.scores) {
    meta += "##INFO=<ID=" + score_info_key(kind) + ",Number=A,Type=Float,Description=" +
            quoted(score_description(kind)) + ">\n";
    if (!scores.empty()) scores += ',';
    scores += score_name(kind);
  }
  meta += "##genomamba_version=" + header_value(attrs.genomamba_version) + "\n";
  meta += "##genomamba_command=" + header_value(attrs.command_line) + "\n";
  meta += "##genomamba_model=" + header_value(attrs.model_path) + "\n";
  meta += "##genomamba_model_sha256=" + header_value(attrs.model_sha256) + "\n";
  meta += "##genomamba_window=" + std::to_string(attrs.window) + "\n";
  meta += "##genomamba_strand=" + header_value(attrs.strand) + "\n";
  meta += "##genomamba_scores=" + header_value(scores) + "\n";
  return meta + sample_line + "\n";
}

// Record `line` with every GM_* entry of its INFO column removed ("." when none is left): their header
// definitions are gone, and vcf_parse would otherwise add String definitions to an already written header.
std::string strip_gm_info(const std::string& line) {
  size_t start = 0;
  for (int column = 0; column < kInfoColumn; ++column) {
    start = line.find('\t', start);
    if (start == std::string::npos) return line;  // too few columns: vcf_parse reports it
    ++start;
  }
  size_t end = line.find('\t', start);
  if (end == std::string::npos) end = line.size();
  const std::string_view info(line.data() + start, end - start);
  if (info.find("GM_") == std::string_view::npos) return line;

  std::string kept;
  for (size_t pos = 0; pos <= info.size();) {
    size_t next = info.find(';', pos);
    if (next == std::string_view::npos) next = info.size();
    const std::string_view entry = info.substr(pos, next - pos);
    if (!entry.empty() && !entry.starts_with("GM_")) {
      if (!kept.empty()) kept += ';';
      kept.append(entry);
    }
    pos = next + 1;
  }
  if (kept.empty()) kept.push_back('.');  // (not `kept = "."`: GCC 12 warns, -Wrestrict false positive)
  std::string out = line.substr(0, start);
  out += kept;
  out.append(line, end, std::string::npos);
  return out;
}

// "chr1:12345" from a record line's first two columns (for messages).
std::string record_locus(const std::string& line) {
  const size_t chrom_end = line.find('\t');
  if (chrom_end == std::string::npos) return "'" + line.substr(0, 40) + "'";
  const size_t pos_end = line.find('\t', chrom_end + 1);
  return line.substr(0, chrom_end) + ":" + line.substr(chrom_end + 1, pos_end - chrom_end - 1);
}

// Why an output file cannot be created, in words.
std::string create_failure_reason(const fs::path& path, int saved_errno) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return "it is a directory";
  const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec)) return "directory '" + parent.string() + "' does not exist";
  return saved_errno != 0 ? std::strerror(saved_errno) : "htslib could not create it";
}

class VcfScoresWriter final : public RowWriter {
 public:
  VcfScoresWriter(const fs::path& path, VcfOutputType type, const VariantScoresLayout& layout,
                  const RootAttributes& attrs);
  ~VcfScoresWriter() override;
  VcfScoresWriter(const VcfScoresWriter&) = delete;
  VcfScoresWriter& operator=(const VcfScoresWriter&) = delete;

  void append(const RowBatch& batch, int64_t first, int64_t count) override;
  void finish() override;

 private:
  void write_record(const VariantBatch& batch, int64_t record, int64_t first_row);
  void remove_partial() noexcept;

  fs::path final_path_;
  fs::path partial_path_;  // the file being written; "-" for standard output
  std::string name_;       // the output as messages name it
  bool to_stdout_;
  bool is_bcf_;
  VariantScoresLayout layout_;
  std::vector<std::string> info_keys_;  // score_info_key() of each layout score
  io::BcfHdrPtr hdr_;
  io::Bcf1Ptr rec_;
  io::HtsFilePtr fp_;
  kstring_t text_ = KS_INITIALIZE;  // the record line handed to vcf_parse (which edits it in place)
  std::vector<float> values_;
  int n_ids_written_ = 0;      // hdr_->n[BCF_DT_ID] and [BCF_DT_CTG] when the header was written
  int n_contigs_written_ = 0;
  bool finished_ = false;
};

VcfScoresWriter::VcfScoresWriter(const fs::path& path, VcfOutputType type, const VariantScoresLayout& layout,
                                 const RootAttributes& attrs)
    : final_path_(path),
      partial_path_(path == "-" ? path : fs::path(path.string() + ".partial")),
      name_(path == "-" ? "standard output" : path.string()),
      to_stdout_(path == "-"),
      is_bcf_(type == VcfOutputType::BCF || type == VcfOutputType::BCF_UNCOMPRESSED),
      layout_(layout) {
  for (ScoreKind kind : layout_.scores) info_keys_.push_back(score_info_key(kind));

  std::string text = build_header_text(layout_, attrs);
  hdr_.reset(bcf_hdr_init("r"));
  rec_.reset(bcf_init());
  if (!hdr_ || !rec_) throw std::bad_alloc();
  if (bcf_hdr_parse(hdr_.get(), text.data()) < 0) {
    throw InternalError(name_ + ": htslib cannot parse the VCF header built from the input's header");
  }

  // Checked first so that htslib does not log its own error for the common mistakes.
  std::error_code ec;
  const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const bool creatable = to_stdout_ || (!fs::is_directory(path, ec) && fs::is_directory(parent, ec));
  errno = 0;
  fp_.reset(creatable ? hts_open(partial_path_.c_str(), write_mode(type)) : nullptr);
  if (!fp_) {
    const int saved_errno = errno;
    if (core::is_device_errno(saved_errno)) {  // a full disk (no inode left): a job keeps its batches
      throw DeviceError(name_ + ": cannot create output file: " + std::strerror(saved_errno));
    }
    throw InputError(name_ + ": cannot create output file (" + create_failure_reason(path, saved_errno) + ")");
  }
  if (bcf_hdr_write(fp_.get(), hdr_.get()) < 0) {
    fp_.reset();
    remove_partial();
    throw DeviceError(name_ + ": cannot write the VCF header (" + std::strerror(errno) + ")");
  }
  n_ids_written_ = hdr_->n[BCF_DT_ID];
  n_contigs_written_ = hdr_->n[BCF_DT_CTG];
}

VcfScoresWriter::~VcfScoresWriter() {
  fp_.reset();  // a close error no longer matters: the output is discarded
  if (!finished_) remove_partial();
  ks_free(&text_);
}

void VcfScoresWriter::remove_partial() noexcept {
  if (to_stdout_) return;
  std::error_code ec;
  fs::remove(partial_path_, ec);
}

void VcfScoresWriter::append(const RowBatch& batch, int64_t first, int64_t count) {
  GM_CHECK(fp_ != nullptr, "append() after finish()");
  const auto* variants = dynamic_cast<const VariantBatch*>(&batch);
  GM_CHECK(variants != nullptr, "batch must be a VariantBatch");
  check_variant_batch(layout_, *variants);
  GM_CHECK(first >= 0 && count >= 0 && first + count <= variants->size(),
           "records [first, first + count) must lie inside the batch");
  int64_t row = 0;
  for (int64_t k = 0; k < first; ++k) row += variants->n_rows[static_cast<size_t>(k)];
  for (int64_t k = first; k < first + count; ++k) {
    write_record(*variants, k, row);
    row += variants->n_rows[static_cast<size_t>(k)];
  }
}

void VcfScoresWriter::write_record(const VariantBatch& batch, int64_t record, int64_t first_row) {
  const std::string& line = batch.record_line[static_cast<size_t>(record)];
  const std::string stripped = strip_gm_info(line);
  text_.l = 0;
  if (kputsn(stripped.data(), stripped.size(), &text_) < 0) throw std::bad_alloc();

  constexpr int kUndefined = BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF;
  if (vcf_parse(&text_, hdr_.get(), rec_.get()) < 0 || (rec_->errcode & ~kUndefined) != 0) {
    throw InternalError(name_ + ": htslib cannot parse record " + record_locus(line) +
                        " that it formatted itself; got '" + line.substr(0, 120) + "'");
  }
  // vcf_parse adds a definition to the header for a contig or tag it lacks (and flags the record); VCF
  // text carries the name, but a BCF record would point past the header that was already written.
  const bool header_grew = hdr_->n[BCF_DT_ID] != n_ids_written_ || hdr_->n[BCF_DT_CTG] != n_contigs_written_;
  if (is_bcf_ && (rec_->errcode != 0 || header_grew)) {
    throw InputError(name_ + ": record " + record_locus(line) +
                     " uses a contig, FILTER, INFO or FORMAT name that the VCF header does not define; BCF "
                     "output cannot represent it (define it in the input's header, or write .vcf or .vcf.gz)");
  }
  rec_->errcode = 0;

  const int n_alt = rec_->n_allele > 0 ? rec_->n_allele - 1 : 0;
  const int64_t n_rows = batch.n_rows[static_cast<size_t>(record)];
  for (int64_t r = first_row; r < first_row + n_rows; ++r) {
    const int64_t allele = batch.allele[static_cast<size_t>(r)];
    if (allele < 1 || allele > n_alt) {
      throw InternalError(name_ + ": record " + record_locus(line) + " has " + std::to_string(n_alt) +
                          " ALT alleles but a score row for allele " + std::to_string(allele));
    }
  }
  if (n_alt > 0) {
    float missing;
    bcf_float_set_missing(missing);
    for (size_t s = 0; s < info_keys_.size(); ++s) {
      values_.assign(static_cast<size_t>(n_alt), missing);
      for (int64_t r = first_row; r < first_row + n_rows; ++r) {
        const float score = batch.scores.at(r, static_cast<int64_t>(s));
        if (batch.status[static_cast<size_t>(r)] != 0 || std::isnan(score)) continue;
        values_[static_cast<size_t>(batch.allele[static_cast<size_t>(r)] - 1)] = score;
      }
      if (bcf_update_info_float(hdr_.get(), rec_.get(), info_keys_[s].c_str(), values_.data(), n_alt) < 0) {
        throw InternalError(name_ + ": htslib cannot set INFO/" + info_keys_[s] + " of record " +
                            record_locus(line));
      }
    }
  }
  if (bcf_write(fp_.get(), hdr_.get(), rec_.get()) < 0) {
    throw DeviceError(name_ + ": cannot write record " + record_locus(line) + " (" + std::strerror(errno) + ")");
  }
}

void VcfScoresWriter::finish() {
  GM_CHECK(fp_ != nullptr, "finish() called twice");
  // hts_close flushes the last BGZF block and writes the EOF marker: its failure loses data.
  errno = 0;
  const int rc = hts_close(fp_.release());
  if (rc != 0) {
    const std::string reason = errno != 0 ? std::strerror(errno) : "htslib reported an error";
    throw DeviceError(name_ + ": cannot finish writing " + partial_path_.string() + " (" + reason + ")");
  }
  if (!to_stdout_) {
    std::error_code ec;
    fs::rename(partial_path_, final_path_, ec);
    if (ec) {
      throw DeviceError(name_ + ": cannot rename " + partial_path_.string() + " to it: " + ec.message());
    }
  }
  finished_ = true;
}

}  // namespace

std::optional<VcfOutputType> vcf_output_type_from_suffix(const fs::path& path) {
  const std::string name = to_lower(path.filename().string());
  if (ends_with(name, ".vcf")) return VcfOutputType::VCF;
  if (ends_with(name, ".vcf.gz") || ends_with(name, ".vcf.bgz")) return VcfOutputType::VCF_GZ;
  if (ends_with(name, ".bcf")) return VcfOutputType::BCF;
  return std::nullopt;
}

VcfOutputType parse_vcf_output_type(const std::string& letter) {
  if (letter == "v") return VcfOutputType::VCF;
  if (letter == "z") return VcfOutputType::VCF_GZ;
  if (letter == "b") return VcfOutputType::BCF;
  if (letter == "u") return VcfOutputType::BCF_UNCOMPRESSED;
  throw UsageError("-O: unknown output type '" + letter +
                    "' (v: VCF, z: bgzipped VCF, b: compressed BCF, u: uncompressed BCF)");
}

std::unique_ptr<RowWriter> create_vcf_scores_writer(const fs::path& path, VcfOutputType type,
                                                    const VariantScoresLayout& layout, const RootAttributes& attrs) {
  return std::make_unique<VcfScoresWriter>(path, type, layout, attrs);
}

}  // namespace genomamba::output
