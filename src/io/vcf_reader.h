#pragma once
/// Variant records of a VCF, bgzipped VCF or BCF file, or of standard input ("-"), read through HTSlib.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace genomamba::io {

/// A ##contig line of the header.
struct VcfContig {
  std::string name;
  int64_t length = -1;  ///< -1 when the line has no length
};

/// One record, as written (alleles are not split, normalised or upper-cased).
struct VcfRecord {
  int64_t number = 0;     ///< 1-based number of the record in reading order (for messages): without an index it
                          ///< counts every record of the input, those outside the regions included
  std::string chrom;
  int64_t pos = 0;        ///< 0-based (VCF POS - 1)
  std::string id;         ///< "." when missing
  std::string ref;
  std::vector<std::string> alts;  ///< empty when ALT is "."
  std::string line;       ///< the whole record as one VCF text line (no newline), as HTSlib formats it
};

class VcfReader {
 public:
  /// Opens `path` (format detected from the content; "-" reads standard input). Not thread-safe.
  /// @param regions samtools-style regions ("chr", "chr:beg-end", 1-based inclusive). A record is kept when
  ///   [POS, POS + rlen) overlaps a region (rlen from INFO/END if declared, else the REF length). With an index
  ///   next to a bgzipped file (<path>.csi, or <path>.tbi for VCF) it is used, and contigs come in header order;
  ///   without one (plain VCF, no index, standard input) the whole input is streamed and the records overlapping a
  ///   region are returned in file order. Either way each record is returned once, even when it overlaps several
  ///   regions. Region ends beyond a contig's length are allowed.
  /// @throws InputError "<path>: …" for a missing or unreadable file, an empty file, a file that is not VCF/BCF,
  ///   a bgzip file without its end-of-file marker, a malformed header, a region on a contig the header does not
  ///   declare, or an index older than the file; ConfigError "-r '<region>': …" for a malformed region.
  /// @param contigs_if_undeclared declared as the header's contigs when it has no ##contig line at all (older
  ///   callers write such files; bcftools reads them with a warning): the reference's contigs, so that records
  ///   and regions on them are read and an output header copied from this one lists them.
  VcfReader(const std::string& path, const std::vector<std::string>& regions,
            const std::vector<VcfContig>& contigs_if_undeclared = {});
  ~VcfReader();
  VcfReader(const VcfReader&) = delete;
  VcfReader& operator=(const VcfReader&) = delete;

  const std::string& path() const;
  /// The whole header as text: the ## lines and the #CHROM line, each ending with '\n'.
  std::string header_text() const;
  /// The header's ##contig lines, in order.
  std::vector<VcfContig> contigs() const;

  /// Reads the next record. @return false at the end of the input.
  /// @throws InputError "<path>: record <n> (<chrom>:<pos>): <what>" for a malformed record: a contig missing
  ///   from the header (which HTSlib cannot represent), a non-numeric POS, fewer than 8 columns, or anything
  ///   HTSlib flags; "(after <chrom>:<pos>)" names the last good record for truncated or corrupt data. Undeclared
  ///   INFO/FORMAT tags are tolerated, as HTSlib does (it warns and treats them as strings).
  bool next(VcfRecord& record);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace genomamba::io
