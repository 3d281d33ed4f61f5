// A reference genome read by span through FaidxIndex (faidx_index.cpp). Each contig's index entry is checked the
// first time it is fetched from, not at open: a genome of thousands of contigs opens without reading them all.
#include "io/reference_fasta.h"

#include <cerrno>
#include <cstring>
#include <unordered_set>

#include "core/error.h"
#include "io/faidx_index.h"

namespace genomamba::io {
namespace {

// The compression of `path`, which must be a FASTA file.
htsCompression detect_fasta_compression(const std::string& path) {
  errno = 0;
  HFilePtr file(hopen(path.c_str(), "r"));
  if (!file) throw InputError(path + ": cannot open: " + std::strerror(errno ? errno : EIO));
  htsFormat format{};
  if (hts_detect_format2(file.get(), path.c_str(), &format) < 0) {
    throw InputError(path + ": read error while detecting the file format: " + std::strerror(errno ? errno : EIO));
  }
  if (format.format == empty_format) throw InputError(path + ": empty file; expected a reference FASTA");
  if (format.format != fasta_format) {
    MallocCharPtr text(hts_format_description(&format));
    throw InputError(path + ": not a FASTA file (" + std::string(text ? text.get() : "unknown format") +
                     "); expected a reference FASTA");
  }
  return format.compression;
}

// A 0-based half-open span as the messages show it.
std::string span_text(const std::string& contig, int64_t begin, int64_t end) {
  return contig + ":[" + std::to_string(begin) + ", " + std::to_string(end) + ") (0-based, end excluded)";
}

}  // namespace

struct ReferenceFasta::Impl {
  explicit Impl(const std::string& path) : index(path, detect_fasta_compression(path), detail::FaidxUse::REFERENCE) {
    for (const auto& [name, length] : index.contigs()) contigs.push_back({name, length});
  }

  detail::FaidxIndex index;
  std::vector<ReferenceContig> contigs;
  std::unordered_set<std::string> checked;  // contigs whose index entry passed check_contig
};

ReferenceFasta::ReferenceFasta(const std::string& path) : impl_(std::make_unique<Impl>(path)) {}

ReferenceFasta::~ReferenceFasta() = default;

const std::string& ReferenceFasta::path() const { return impl_->index.path(); }

const std::vector<ReferenceContig>& ReferenceFasta::contigs() const { return impl_->contigs; }

int64_t ReferenceFasta::contig_length(const std::string& name) const { return impl_->index.length(name); }

std::string ReferenceFasta::fetch(const std::string& contig, int64_t begin, int64_t end) const {
  const std::string& path = impl_->index.path();
  GM_CHECK(begin <= end, "fetch: begin (" + std::to_string(begin) + ") must not exceed end (" +
                             std::to_string(end) + ")");
  const int64_t length = impl_->index.length(contig);
  if (length < 0) {
    throw InputError(path + ": unknown contig '" + contig + "' (fetching " + span_text(contig, begin, end) + ")");
  }
  if (begin < 0) {
    throw InputError(path + ": span " + span_text(contig, begin, end) + " starts before contig '" + contig + "'");
  }
  if (end > length) {
    throw InputError(path + ": span " + span_text(contig, begin, end) + " ends beyond contig '" + contig +
                     "' (length " + std::to_string(length) + ")");
  }
  if (impl_->checked.count(contig) == 0) {
    impl_->index.check_contig(contig);
    impl_->checked.insert(contig);
  }
  if (begin == end) return {};
  return impl_->index.fetch(contig, begin, end);
}

}  // namespace genomamba::io
