#pragma once
// Internal to src/io: a FASTA's faidx index (.fai, plus .gzi for bgzip), loaded and checked once for the indexed
// FASTA sequence source (-r/-R) and for ReferenceFasta. Includes htslib through hts_ptr.h, so only .cpp files
// include it.
#include <cstdint>
#include <string>
#include <unordered_map>

#include "io/hts_ptr.h"
#include "io/region.h"

namespace genomamba::io::detail {

/// What the index is opened for; it only words the messages about a missing or unusable index.
enum class FaidxUse { REGIONS, REFERENCE };

/// A loaded faidx index. Not thread-safe (faidx keeps one file position).
class FaidxIndex {
 public:
  /// Loads the index of `path`, never building one.
  /// @param compression the FASTA's compression, as hts_detect_format2 reports it
  /// @throws InputError "<path>: …" for plain gzip (no random access), a bgzip file without its end-of-file
  ///   marker, a missing or stale .fai or .gzi ("run 'samtools faidx <path>'"), an index that cannot be loaded,
  ///   or a contig too long for htslib 1.16's int length query.
  FaidxIndex(const std::string& path, htsCompression compression, FaidxUse use);

  const std::string& path() const { return path_; }
  /// The contigs of the .fai, in order.
  const ContigLengths& contigs() const { return lengths_; }
  /// The contig's length, or -1 when the index has no such contig.
  int64_t length(const std::string& contig) const;

  /// Bases [begin, end) of `contig` (a contig of the index, 0 <= begin < end <= length), case kept.
  /// @throws InputError "<path>: FASTA index '<fai>' does not match the file (…)" when faidx returns fewer
  ///   bases, non-residue characters (header text of a stale index) or fails (the file ends early).
  std::string fetch(const std::string& contig, int64_t begin, int64_t end) const;

  /// Cheap consistency checks of one contig's index entry: its first bases, its last base, and nothing after it.
  /// @throws InputError as fetch, or for a contig of 2^32 bases or more (its int length has wrapped).
  void check_contig(const std::string& contig) const;

 private:
  [[noreturn]] void stale(const std::string& what) const;

  std::string path_;
  std::string fai_path_;
  FaidxPtr fai_;
  ContigLengths lengths_;
  std::unordered_map<std::string, int64_t> length_of_;
};

}  // namespace genomamba::io::detail
