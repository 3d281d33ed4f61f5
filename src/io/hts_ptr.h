#pragma once
/// RAII owners for HTSlib handles. Included only by .cpp files, so htslib types stay out of public headers.
#include <htslib/bgzf.h>
#include <htslib/faidx.h>
#include <htslib/hfile.h>
#include <htslib/hts.h>
#include <htslib/sam.h>
#include <htslib/synced_bcf_reader.h>
#include <htslib/vcf.h>

#include <cstdlib>
#include <memory>

namespace genomamba::io {

/// Closes a BGZF handle (plain, gzip or bgzip stream).
struct BgzfCloser {
  void operator()(BGZF* fp) const noexcept {
    // A close error on a stream opened for reading loses no data; nothing useful can be done with it here.
    if (fp && bgzf_close(fp) != 0) return;
  }
};
using BgzfPtr = std::unique_ptr<BGZF, BgzfCloser>;

/// Closes a raw hFILE that no BGZF or htsFile has taken over yet.
struct HFileCloser {
  void operator()(hFILE* fp) const noexcept {
    if (fp) hclose_abruptly(fp);
  }
};
using HFilePtr = std::unique_ptr<hFILE, HFileCloser>;

/// Closes an htsFile (SAM/BAM/CRAM).
struct HtsFileCloser {
  void operator()(htsFile* fp) const noexcept {
    // Read-only handles: a close error loses nothing.
    if (fp && hts_close(fp) != 0) return;
  }
};
using HtsFilePtr = std::unique_ptr<htsFile, HtsFileCloser>;

/// Frees a SAM/BAM/CRAM header.
struct SamHdrDestroyer {
  void operator()(sam_hdr_t* h) const noexcept { sam_hdr_destroy(h); }
};
using SamHdrPtr = std::unique_ptr<sam_hdr_t, SamHdrDestroyer>;

/// Frees one alignment record.
struct Bam1Destroyer {
  void operator()(bam1_t* b) const noexcept { bam_destroy1(b); }
};
using Bam1Ptr = std::unique_ptr<bam1_t, Bam1Destroyer>;

/// Frees a BAM/CRAM index.
struct HtsIdxDestroyer {
  void operator()(hts_idx_t* idx) const noexcept { hts_idx_destroy(idx); }
};
using HtsIdxPtr = std::unique_ptr<hts_idx_t, HtsIdxDestroyer>;

/// Frees a (single- or multi-region) iterator.
struct HtsItrDestroyer {
  void operator()(hts_itr_t* itr) const noexcept { hts_itr_destroy(itr); }
};
using HtsItrPtr = std::unique_ptr<hts_itr_t, HtsItrDestroyer>;

/// Frees a FASTA index.
struct FaidxDestroyer {
  void operator()(faidx_t* fai) const noexcept { fai_destroy(fai); }
};
using FaidxPtr = std::unique_ptr<faidx_t, FaidxDestroyer>;

/// Frees a VCF/BCF header.
struct BcfHdrDestroyer {
  void operator()(bcf_hdr_t* h) const noexcept { bcf_hdr_destroy(h); }
};
using BcfHdrPtr = std::unique_ptr<bcf_hdr_t, BcfHdrDestroyer>;

/// Frees one VCF/BCF record.
struct Bcf1Destroyer {
  void operator()(bcf1_t* b) const noexcept { bcf_destroy(b); }
};
using Bcf1Ptr = std::unique_ptr<bcf1_t, Bcf1Destroyer>;

/// Frees a synced VCF/BCF reader (and closes its files).
struct BcfSrsDestroyer {
  void operator()(bcf_srs_t* s) const noexcept { bcf_sr_destroy(s); }
};
using BcfSrsPtr = std::unique_ptr<bcf_srs_t, BcfSrsDestroyer>;

/// Frees memory that htslib allocated with malloc (faidx_fetch_seq64 results, hts_format_description).
struct MallocFree {
  void operator()(void* p) const noexcept { std::free(p); }
};
using MallocCharPtr = std::unique_ptr<char, MallocFree>;

}  // namespace genomamba::io
