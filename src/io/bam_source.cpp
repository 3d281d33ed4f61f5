// SAM/BAM/CRAM reads as sequence records, through sam_read1 or, with regions, a multi-region index iterator.
#include <htslib/cram.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "core/error.h"
#include "core/log.h"
#include "io/cram_reference_check.h"
#include "io/sequence_source_formats.h"

namespace genomamba::io::detail {
namespace {

// Complement of a 4-bit nt16 code: A=1, C=2, G=4, T=8, so complementing reverses the four bits
// (IUPAC ambiguity codes included; '=' and N map to themselves).
constexpr uint8_t kNt16Complement[16] = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};

// Stored SEQ in the read's original orientation: reverse-strand reads are stored reverse-complemented,
// so they are turned back, as `samtools fastq` does.
void decode_sequence(const bam1_t* read, std::string& out) {
  const int n = read->core.l_qseq;
  const uint8_t* seq = bam_get_seq(read);
  out.resize(static_cast<size_t>(n));
  if (read->core.flag & BAM_FREVERSE) {
    for (int i = 0; i < n; ++i) out[static_cast<size_t>(n - 1 - i)] = seq_nt16_str[kNt16Complement[bam_seqi(seq, i)]];
  } else {
    for (int i = 0; i < n; ++i) out[static_cast<size_t>(i)] = seq_nt16_str[bam_seqi(seq, i)];
  }
}

class AlignmentSource final : public SequenceSource {
 public:
  AlignmentSource(const InputSpec& spec, HtsFilePtr file, SamHdrPtr header)
      : path_(spec.path),
        exclude_flags_(spec.exclude_flags),
        min_mapq_(spec.min_mapq),
        cram_without_reference_(file->format.format == cram && spec.reference.empty()),
        cram_with_reference_(file->format.format == cram && !spec.reference.empty()),
        reference_(spec.reference),
        file_(std::move(file)),
        header_(std::move(header)),
        read_(bam_init1()) {
    if (!read_) throw std::bad_alloc();
    const int n = sam_hdr_nref(header_.get());
    for (int tid = 0; tid < n; ++tid) {
      lengths_.emplace_back(sam_hdr_tid2name(header_.get(), tid), sam_hdr_tid2len(header_.get(), tid));
    }
    if (!spec.regions.empty()) open_regions(spec);
  }

  bool next(SequenceRecord& record) override {
    while (true) {
      const int rc = itr_ ? sam_itr_next(file_.get(), itr_.get(), read_.get())
                          : sam_read1(file_.get(), header_.get(), read_.get());
      if (rc == -1) {
        report_skipped();
        return false;
      }
      if (rc < -1) throw read_error();
      ++n_read_;
      const bam1_t* read = read_.get();
      last_name_.assign(bam_get_qname(read));
      if ((read->core.flag & exclude_flags_) != 0 || read->core.qual < min_mapq_) continue;
      if (read->core.l_qseq == 0) {
        ++n_no_sequence_;
        continue;
      }
      record.name = last_name_;
      decode_sequence(read, record.sequence);
      record.offset = 0;
      record.index = n_returned_++;
      return true;
    }
  }

  const std::string& path() const override { return path_; }
  ContigLengths contig_lengths() const override { return lengths_; }

 private:
  InputError read_error() const {
    std::string msg = path_ + ": record " + std::to_string(n_read_ + 1);
    if (!last_name_.empty()) msg += " (after read '" + last_name_ + "')";
    if (cram_with_reference_) {
      // HTSlib reports a reference of other content only as a failed decode.
      const std::string mismatch = detail::cram_reference_mismatch(header_.get(), reference_);
      if (!mismatch.empty()) return InputError(msg + ": cannot decode with the reference given by -f: " + mismatch);
    }
    msg += ": read error (truncated or corrupt file)";
    if (cram_without_reference_) msg += "; a CRAM file usually needs its reference: give it with -f REF.fa";
    return InputError(msg);
  }

  void report_skipped() {
    if (n_no_sequence_ == 0 || warned_) return;
    warned_ = true;
    log::warning(path_ + ": skipped " + std::to_string(n_no_sequence_) + " read(s) with no stored sequence (SEQ '*')");
  }

  void open_regions(const InputSpec& spec) {
    check_regions(spec.regions, lengths_, path_);
    index_.reset(sam_index_load3(file_.get(), path_.c_str(), nullptr, HTS_IDX_SILENT_FAIL));
    if (!index_) {
      if (file_->format.format == sam && file_->format.compression != bgzf) {
        throw InputError(path_ + ": regions need an indexed BAM, CRAM or bgzip-compressed SAM: convert it with "
                         "'samtools sort -o in.bam " + path_ + "' and run 'samtools index in.bam'");
      }
      throw InputError(path_ + ": regions need an index: run 'samtools index " + path_ + "'");
    }
    // Intervals per contig, sorted and merged, so that the multi-region iterator returns each read once.
    std::map<int, std::vector<std::pair<int64_t, int64_t>>> by_tid;
    for (const Region& region : spec.regions) {
      const int tid = sam_hdr_name2tid(header_.get(), region.contig.c_str());
      const int64_t length = sam_hdr_tid2len(header_.get(), tid);
      by_tid[tid].emplace_back(region.begin, std::min(region.end, length));
    }
    auto* list = static_cast<hts_reglist_t*>(std::calloc(by_tid.size(), sizeof(hts_reglist_t)));
    if (!list) throw std::bad_alloc();
    unsigned count = 0;
    for (auto& [tid, intervals] : by_tid) {
      std::sort(intervals.begin(), intervals.end());
      std::vector<std::pair<int64_t, int64_t>> merged;
      for (const auto& interval : intervals) {
        if (!merged.empty() && interval.first <= merged.back().second) {
          merged.back().second = std::max(merged.back().second, interval.second);
        } else {
          merged.push_back(interval);
        }
      }
      hts_reglist_t& entry = list[count++];
      entry.reg = sam_hdr_tid2name(header_.get(), tid);  // owned by the header, which outlives the iterator
      entry.tid = tid;
      entry.count = static_cast<uint32_t>(merged.size());
      entry.intervals = static_cast<hts_pair_pos_t*>(std::calloc(merged.size(), sizeof(hts_pair_pos_t)));
      if (!entry.intervals) {
        hts_reglist_free(list, static_cast<int>(count));
        throw std::bad_alloc();
      }
      for (size_t i = 0; i < merged.size(); ++i) entry.intervals[i] = {merged[i].first, merged[i].second};
      entry.min_beg = merged.front().first;
      entry.max_end = merged.back().second;
    }
    // On success the iterator owns `list`; on failure it is still ours.
    itr_.reset(sam_itr_regions(index_.get(), header_.get(), list, count));
    if (!itr_) {
      hts_reglist_free(list, static_cast<int>(count));
      throw InputError(path_ + ": cannot query the index for the regions (corrupt index?)");
    }
  }

  std::string path_;
  int exclude_flags_;
  int min_mapq_;
  bool cram_without_reference_;
  bool cram_with_reference_;
  std::string reference_;  // -f, for CRAM
  // Destroyed in reverse order: the iterator before the index and header it refers to, the file last.
  HtsFilePtr file_;
  SamHdrPtr header_;
  HtsIdxPtr index_;
  HtsItrPtr itr_;
  Bam1Ptr read_;
  ContigLengths lengths_;
  std::string last_name_;
  int64_t n_read_ = 0;
  int64_t n_returned_ = 0;
  int64_t n_no_sequence_ = 0;
  bool warned_ = false;
};

void set_cram_reference(htsFile* fp, const InputSpec& spec) {
  if (spec.reference.empty()) return;
  std::error_code ec;
  if (std::filesystem::path(spec.reference).string().find("://") == std::string::npos &&
      !std::filesystem::exists(spec.reference, ec)) {
    throw InputError(spec.reference + ": cannot open the reference FASTA (-f): No such file or directory");
  }
  if (hts_set_fai_filename(fp, spec.reference.c_str()) != 0) {
    throw InputError(spec.path + ": cannot use '" + spec.reference + "' as the CRAM reference (not a FASTA, or its "
                     ".fai cannot be read or built)");
  }
}

void check_eof_marker(htsFile* fp, const std::string& path) {
  if (fp->format.format == cram) {
    // 1: present; 2: cannot tell (a pipe, or CRAM < 2.1); 0: absent.
    const int rc = cram_check_EOF(fp->fp.cram);
    if (rc == 0) throw InputError(path + ": truncated file: the CRAM end-of-file container is missing");
    if (rc < 0) throw InputError(path + ": read error while checking the CRAM end-of-file container");
  } else if (fp->is_bgzf) {
    check_bgzf_eof(fp->fp.bgzf, path);
  }
}

}  // namespace

std::unique_ptr<SequenceSource> open_alignments(const InputSpec& spec, HFilePtr file) {
  HtsFilePtr fp(hts_hopen(file.get(), spec.path.c_str(), "r"));
  if (!fp) throw InputError(spec.path + ": cannot open as SAM/BAM/CRAM");
  static_cast<void>(file.release());  // the htsFile owns the hFILE now
  if (fp->format.format == cram) {
    set_cram_reference(fp.get(), spec);
    // Decode only what a record needs (no qualities or tags); SEQ depends on the alignment fields.
    const int fields = SAM_QNAME | SAM_FLAG | SAM_RNAME | SAM_POS | SAM_MAPQ | SAM_CIGAR | SAM_SEQ;
    if (hts_set_opt(fp.get(), CRAM_OPT_REQUIRED_FIELDS, fields) != 0) {
      throw InternalError(spec.path + ": cannot set CRAM_OPT_REQUIRED_FIELDS");
    }
  }
  check_eof_marker(fp.get(), spec.path);
  if (spec.threads > 0 && hts_set_threads(fp.get(), spec.threads) != 0) {
    throw DeviceError(spec.path + ": cannot start " + std::to_string(spec.threads) + " decompression threads");
  }
  SamHdrPtr header(sam_hdr_read(fp.get()));
  if (!header) throw InputError(spec.path + ": cannot read the SAM/BAM/CRAM header (corrupt or truncated file)");
  return std::make_unique<AlignmentSource>(spec, std::move(fp), std::move(header));
}

}  // namespace genomamba::io::detail
