// FASTA/FASTQ through HTSlib: BGZF for plain/gzip/bgzip input and kseq.h for the record syntax.
#include "io/fasta_reader.h"

#include <htslib/kseq.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "io/hts_ptr.h"

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

}  // namespace

struct FastaReader::Impl {
  BgzfPtr file;                                  // declared first: destroyed after the kseq reading it
  std::unique_ptr<kseq_t, KseqDestroyer> seq;
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
  impl_->seq.reset(kseq_init(fp));
  if (!impl_->seq || !impl_->seq->f || !impl_->seq->f->buf) throw std::bad_alloc();
}

FastaReader::FastaReader(const std::string& path, BGZF* stream) : path_(path), impl_(std::make_unique<Impl>()) {
  impl_->file.reset(stream);
  GM_CHECK(stream != nullptr, "stream must be an open BGZF handle");
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
  if (rc == -2) throw InputError(where + " ('" + name + "'): quality string is truncated");
  if (rc < 0) throw InputError(where + " ('" + name + "'): read error (kseq code " + std::to_string(rc) + ")");
  record.name = name;
  record.sequence = kstring_text(seq->seq);
  record.index = n_read_++;
  record.offset = 0;
  return true;
}

}  // namespace genomamba::io
