// FASTA/FASTQ through HTSlib: BGZF for plain/gzip/bgzip input and kseq.h for the record syntax.
#include "io/fasta_reader.h"

#include <htslib/kseq.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "core/error.h"
#include "io/hts_ptr.h"
#include "io/nucleotide_codes.h"

namespace genomamba::io {
namespace {

// kseq's read callback. kseq treats a negative count as data, so a read error ends the stream here and
// FastaReader::next checks BGZF's errcode after every record.
int read_bgzf(BGZF* fp, void* buf, int len) {
  const ssize_t n = bgzf_read(fp, buf, static_cast<size_t>(len));
  return n < 0 ? 0 : static_cast<int>(n);
}

KSEQ_INIT(BGZF*, read_bgzf)

struct KseqDestroyer {
  void operator()(kseq_t* seq) const noexcept { kseq_destroy(seq); }
};

std::string kstring_text(const kstring_t& s) { return s.s ? std::string(s.s, s.l) : std::string(); }

// The first character of the data, after any blank lines (consumed: kseq skips them too): '>' for FASTA,
// '@' for FASTQ, -1 for an empty stream. kseq would silently skip any other text up to the first '>' or
// '@', so anything else is refused here.
int first_header_char(BGZF* fp, const std::string& path) {
  int c = bgzf_peek(fp);
  while (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
    static_cast<void>(bgzf_getc(fp));
    c = bgzf_peek(fp);
  }
  if (c == '>' || c == '@' || c < 0) return c;
  throw InputError(path + ": not FASTA or FASTQ: the data starts with " + describe_character(static_cast<char>(c)) +
                   " where a record must start with '>' (FASTA) or '@' (FASTQ)");
}

}  // namespace

struct FastaReader::Impl {
  BgzfPtr file;                                  // declared first: destroyed after the kseq reading it
  std::unique_ptr<kseq_t, KseqDestroyer> seq;
  bool fastq = false;                            // the first record starts with '@': every record needs + and quality
};

FastaReader::FastaReader(const std::string& path) : path_(path), impl_(std::make_unique<Impl>()) {
  errno = 0;
  BGZF* fp = nullptr;
  if (path == "-") {
    // A duplicate, so that closing the reader leaves the process's stdin open.
    const int fd = ::dup(STDIN_FILENO);
    if (fd >= 0) {
      fp = bgzf_dopen(fd, "r");
      if (!fp) ::close(fd);
    }
  } else {
    fp = bgzf_open(path.c_str(), "r");
  }
  if (!fp) throw InputError(path + ": cannot open: " + std::strerror(errno ? errno : EIO));
  impl_->file.reset(fp);
  impl_->fastq = first_header_char(fp, path) == '@';
  impl_->seq.reset(kseq_init(fp));
  if (!impl_->seq || !impl_->seq->f || !impl_->seq->f->buf) throw std::bad_alloc();
}

FastaReader::FastaReader(const std::string& path, BGZF* stream) : path_(path), impl_(std::make_unique<Impl>()) {
  impl_->file.reset(stream);
  GM_CHECK(stream != nullptr, "stream must be an open BGZF handle");
  impl_->fastq = first_header_char(stream, path) == '@';
  impl_->seq.reset(kseq_init(stream));
  if (!impl_->seq || !impl_->seq->f || !impl_->seq->f->buf) throw std::bad_alloc();
}

FastaReader::~FastaReader() = default;

bool FastaReader::next(SequenceRecord& record) {
  kseq_t* seq = impl_->seq.get();
  const int rc = kseq_read(seq);
  // Records are numbered from 1 in messages, like lines.
  const std::string where = path_ + ": record " + std::to_string(n_read_ + 1);
  if (impl_->file->errcode != 0) {
    throw InputError(where + ": read error (corrupt or truncated compressed data)");
  }
  if (rc == -1) return false;
  const std::string name = kstring_text(seq->name);
  const std::string what = where + " ('" + name + "')";
  const std::string lengths = " (" + std::to_string(seq->qual.l) + " quality characters for " +
                              std::to_string(seq->seq.l) + " bases)";
  if (rc == -2 && seq->qual.l > seq->seq.l) throw InputError(what + ": quality string is longer than the sequence" + lengths);
  if (rc == -2) throw InputError(what + ": quality string is truncated" + lengths);
  if (rc < 0) throw InputError(what + ": read error (kseq code " + std::to_string(rc) + ")");
  // kseq reads a FASTQ record without its '+' line as FASTA: its quality line (or a '-' line standing for
  // the '+') would be taken as bases. In a FASTQ file every record has a '+' line and a quality string.
  if (impl_->fastq && seq->qual.l == 0 && seq->seq.l > 0) {
    throw InputError(what + ": FASTQ record without its '+' line and quality string after the sequence "
                     "(records are '@name', bases, '+', quality; is the file cut short or malformed?)");
  }
  if (!impl_->fastq && seq->qual.l > 0) {
    throw InputError(what + ": a '+' line and quality string in a FASTA file (FASTQ records start with '@')");
  }
  const int64_t bad = first_non_nucleotide(std::string_view(seq->seq.s ? seq->seq.s : "", seq->seq.l));
  if (bad >= 0) {
    throw InputError(what + ": " + describe_character(seq->seq.s[bad]) + " at base " + std::to_string(bad + 1) +
                     " is not a nucleotide code (IUPAC A C G T U N R Y S W K M B D H V; a protein or other "
                     "non-DNA sequence?)");
  }
  record.name = name;
  record.sequence = kstring_text(seq->seq);
  record.index = n_read_++;
  record.offset = 0;
  return true;
}

}  // namespace genomamba::io
