#pragma once
/// A reference genome read by region through HTSlib's faidx (.fai, plus .gzi for bgzip): what `score`
/// and `ism` take windows from.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace genomamba::io {

struct ReferenceContig {
  std::string name;
  int64_t length = 0;
};

class ReferenceFasta {
 public:
  /// Opens `path` with its index (never building one). Not thread-safe: faidx keeps one file position.
  /// @throws InputError "<path>: …" for a missing file, a file that is not FASTA, a missing or stale .fai or
  ///   .gzi ("run 'samtools faidx <path>'"), plain gzip instead of bgzip, a truncated bgzip file.
  explicit ReferenceFasta(const std::string& path);
  ~ReferenceFasta();
  ReferenceFasta(const ReferenceFasta&) = delete;
  ReferenceFasta& operator=(const ReferenceFasta&) = delete;

  const std::string& path() const;
  /// The contigs of the .fai, in order.
  const std::vector<ReferenceContig>& contigs() const;
  /// The contig's length, or -1 when the reference has no such contig.
  int64_t contig_length(const std::string& name) const;

  /// Bases [begin, end) (0-based, half-open) of `contig`, as stored (case kept); empty when begin == end.
  /// The first fetch from a contig checks its index entry against the file.
  /// @throws InputError "<path>: …" naming the contig and span when the contig is unknown, the span lies outside
  ///   it (begin < 0 or end > length), or the file does not match its index (stale .fai, file shorter than the
  ///   index says); InternalError when begin > end.
  std::string fetch(const std::string& contig, int64_t begin, int64_t end) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace genomamba::io
