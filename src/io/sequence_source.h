#pragma once
/// One interface over every sequence input of `genomamba embed` (design §7), read through HTSlib:
/// FASTA (plain, gzip, bgzip), FASTQ, SAM, BAM and CRAM, from a file or standard input ("-").
///
/// What a record is:
/// - FASTA/FASTQ without regions: each record of the file, streamed (offset 0).
/// - FASTA with regions: one record per region, in the order given, fetched through the .fai (and, for bgzip,
///   the .gzi) index; named after the contig, with `offset` = the region's 0-based start. Two regions on one
///   contig give two records with the same name and different offsets. Case is preserved.
/// - SAM/BAM/CRAM: each read that passes the filters, named by its read name (offset 0), with its sequence in
///   the read's original orientation: reads with BAM_FREVERSE are reverse-complemented back, as
///   `samtools fastq` does. Reads without a stored sequence (SEQ '*') are skipped, counted, and reported in
///   one warning at the end. With regions, the index is used and each overlapping read is returned once,
///   in file order.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/fasta_reader.h"
#include "io/region.h"

namespace genomamba::io {

/// What to read and how to filter it.
struct InputSpec {
  std::string path;             ///< input file; "-" is standard input (no regions then)
  std::vector<Region> regions;  ///< empty: the whole input; otherwise needs an index (.fai, .bai/.csi, .crai)
  std::string reference;        ///< reference FASTA for CRAM (-f); ignored for other formats
  int exclude_flags = 0x900;    ///< SAM/BAM/CRAM: skip reads with any of these flag bits (-F; secondary|supplementary)
  int min_mapq = 0;             ///< SAM/BAM/CRAM: skip reads with a lower mapping quality (--min-mapq)
  int threads = 0;              ///< extra decompression threads for BGZF/CRAM input (0: none)
};

/// A stream of sequence records. Not thread-safe; one reader per source.
class SequenceSource {
 public:
  virtual ~SequenceSource();

  /// Reads the next record into `record` (its `index` counts the records returned so far).
  /// @return false at the end of the input.
  /// @throws InputError "<path>: record <n>: ..." on a truncated or corrupt input, naming the read where known.
  virtual bool next(SequenceRecord& record) = 0;

  /// The input path as given ("-" for standard input).
  virtual const std::string& path() const = 0;

  /// Names and lengths of the input's contigs where it has them (indexed FASTA: the .fai; SAM/BAM/CRAM:
  /// the header's @SQ lines); empty for a streamed FASTA/FASTQ.
  virtual ContigLengths contig_lengths() const;
};

/// Detects the format (hts_detect_format: FASTA, FASTQ, SAM, BAM, CRAM; plain, gzip or bgzip) and opens the
/// input. Regions are checked against the input's contigs here, before any record is read.
/// @throws ConfigError for regions on standard input or on FASTQ.
/// @throws InputError "<path>: ..." for a missing, empty, truncated (no BGZF/CRAM EOF marker) or unsupported
///         input; for regions: a missing or stale index ("regions need a FASTA index: run 'samtools faidx
///         <fa>'", "... run 'samtools index <bam>'"), plain gzip instead of bgzip, an unknown contig or a
///         region beyond its contig (see check_regions); for CRAM: an unreadable reference.
std::unique_ptr<SequenceSource> open_sequence_source(const InputSpec& spec);

}  // namespace genomamba::io
