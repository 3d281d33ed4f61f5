#pragma once
/// Sequential FASTA/FASTQ reader through HTSlib (BGZF, so plain, gzip and bgzip files all work; "-" is stdin).
/// Sequence text is returned exactly as in the file (case preserved).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

struct BGZF;  // htslib's stream type, declared only so that an opened stream can be handed over

namespace genomamba::io {

struct SequenceRecord {
  std::string name;      ///< first word of the header line
  std::string sequence;  ///< residues as written (case preserved, line breaks removed)
  int64_t index = 0;     ///< 0-based record number in the file
  int64_t offset = 0;    ///< 0-based position of sequence[0] in the named contig/record (a region's start)
};

class FastaReader {
 public:
  /// @throws InputError "<path>: cannot open: <reason>" if the file cannot be opened.
  explicit FastaReader(const std::string& path);
  /// Reads from a stream that is already open (after format detection, so that standard input is read
  /// only once) and takes ownership of it. `path` names the input in messages.
  FastaReader(const std::string& path, BGZF* stream);
  ~FastaReader();
  FastaReader(const FastaReader&) = delete;
  FastaReader& operator=(const FastaReader&) = delete;

  /// Reads the next record into `record`. @return false at the end of the input.
  /// @throws InputError "<path>: record <n>: ..." on a truncated or malformed record.
  bool next(SequenceRecord& record);

  const std::string& path() const { return path_; }

 private:
  struct Impl;
  std::string path_;
  std::unique_ptr<Impl> impl_;
  int64_t n_read_ = 0;
};

}  // namespace genomamba::io
