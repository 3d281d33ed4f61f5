#pragma once
// Internal to src/io: one opener per input format, called by open_sequence_source after format detection.
// Includes htslib through hts_ptr.h, so only .cpp files include it.
#include <memory>
#include <string>

#include "io/hts_ptr.h"
#include "io/sequence_source.h"

namespace genomamba::io::detail {

/// FASTA/FASTQ without regions, streamed by FastaReader from the already opened (and peeked) `file`.
std::unique_ptr<SequenceSource> open_fasta_stream(const InputSpec& spec, HFilePtr file, htsCompression compression);

/// FASTA with regions, through fai_load3 and faidx_fetch_seq64.
std::unique_ptr<SequenceSource> open_indexed_fasta(const InputSpec& spec, htsCompression compression);

/// SAM, BAM or CRAM through hts_hopen; `file` is the already opened (and peeked) input.
std::unique_ptr<SequenceSource> open_alignments(const InputSpec& spec, HFilePtr file);

/// Opens `path` for reading as an hFILE; "-" is a duplicate of standard input (closing it leaves the
/// process's stdin open). @throws InputError "<path>: cannot open: <reason>".
HFilePtr open_input(const std::string& path);

/// Throws InputError "<path>: truncated file: ..." if a seekable BGZF stream lacks its end-of-file marker.
void check_bgzf_eof(BGZF* fp, const std::string& path);

}  // namespace genomamba::io::detail
