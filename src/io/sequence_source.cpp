// Format detection and the streamed FASTA/FASTQ source; the indexed FASTA and SAM/BAM/CRAM sources live in
// their own files.
#include "io/sequence_source.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "io/sequence_source_formats.h"

namespace genomamba::io {

SequenceSource::~SequenceSource() = default;

ContigLengths SequenceSource::contig_lengths() const { return {}; }

namespace detail {

void check_bgzf_eof(BGZF* fp, const std::string& path) {
  // 1: marker present; 2: cannot tell (a pipe); 0: absent; -1: I/O error while seeking.
  const int rc = bgzf_check_EOF(fp);
  if (rc == 0) {
    throw InputError(path + ": truncated file: the BGZF end-of-file marker is missing");
  }
  if (rc < 0) throw InputError(path + ": read error while checking the BGZF end-of-file marker");
}

namespace {

class FastaStreamSource final : public SequenceSource {
 public:
  FastaStreamSource(const std::string& path, BGZF* stream) : reader_(path, stream) {}
  bool next(SequenceRecord& record) override { return reader_.next(record); }
  const std::string& path() const override { return reader_.path(); }

 private:
  FastaReader reader_;
};

}  // namespace

std::unique_ptr<SequenceSource> open_fasta_stream(const InputSpec& spec, HFilePtr file, htsCompression compression) {
  BgzfPtr stream(bgzf_hopen(file.get(), "r"));
  if (!stream) throw InputError(spec.path + ": cannot open as a (compressed) text stream");
  static_cast<void>(file.release());  // the BGZF stream owns the hFILE now
  if (compression == bgzf) {
    check_bgzf_eof(stream.get(), spec.path);
    if (spec.threads > 0 && bgzf_mt(stream.get(), spec.threads, 256) != 0) {
      throw DeviceError(spec.path + ": cannot start " + std::to_string(spec.threads) + " decompression threads");
    }
  }
  return std::make_unique<FastaStreamSource>(spec.path, stream.release());
}

HFilePtr open_input(const std::string& path) {
  errno = 0;
  hFILE* fp = nullptr;
  if (path == "-") {
    // A duplicate, so that closing the reader leaves the process's stdin open.
    const int fd = ::dup(STDIN_FILENO);
    if (fd >= 0) {
      fp = hdopen(fd, "r");
      if (!fp) ::close(fd);
    }
  } else {
    fp = hopen(path.c_str(), "r");
  }
  if (!fp) throw InputError(path + ": cannot open: " + std::strerror(errno ? errno : EIO));
  return HFilePtr(fp);
}

}  // namespace detail

namespace {

std::string describe(const htsFormat& format) {
  MallocCharPtr text(hts_format_description(&format));
  return text ? std::string(text.get()) : std::string("unknown format");
}

}  // namespace

std::unique_ptr<SequenceSource> open_sequence_source(const InputSpec& spec) {
  const bool with_regions = !spec.regions.empty();
  if (with_regions && spec.path == "-") {
    throw ConfigError("-r/-R: regions need an indexed input file; standard input ('-') cannot be read by region");
  }
  HFilePtr file = detail::open_input(spec.path);
  htsFormat format{};
  // Peeks at the first bytes (decompressing them if needed) without consuming them.
  if (hts_detect_format2(file.get(), spec.path.c_str(), &format) < 0) {
    throw InputError(spec.path + ": read error while detecting the file format: " + std::strerror(errno ? errno : EIO));
  }
  switch (format.format) {
    case empty_format:
      throw InputError(spec.path + ": empty input (no data)");
    case fasta_format:
      if (with_regions) {
        file.reset();
        return detail::open_indexed_fasta(spec, format.compression);
      }
      return detail::open_fasta_stream(spec, std::move(file), format.compression);
    case fastq_format:
      if (with_regions) {
        throw ConfigError("-r/-R: regions need an indexed FASTA, BAM or CRAM input; " + spec.path + " is FASTQ");
      }
      return detail::open_fasta_stream(spec, std::move(file), format.compression);
    case sam:
    case bam:
    case cram:
      return detail::open_alignments(spec, std::move(file));
    case text_format:
      // htslib calls FASTA with non-nucleotide letters (X, digits, '*') "unknown text". Read as FASTA or
      // FASTQ, it fails on its first bad character with the record and base named, like any later record;
      // text that starts with neither '>' nor '@' is refused by the reader as not FASTA or FASTQ.
      if (!with_regions) return detail::open_fasta_stream(spec, std::move(file), format.compression);
      throw InputError(spec.path + ": unsupported input format (" + describe(format) +
                       "); expected FASTA, FASTQ, SAM, BAM or CRAM");
    default:
      throw InputError(spec.path + ": unsupported input format (" + describe(format) +
                       "); expected FASTA, FASTQ, SAM, BAM or CRAM");
  }
}

}  // namespace genomamba::io
