// A FASTA's faidx index, loaded and checked. faidx trusts its index blindly: with a stale .fai it returns header
// text or bytes of the next record as sequence, so the index is checked for age and every fetched sequence for
// length and content.
#include "io/faidx_index.h"
#include "io/nucleotide_codes.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <vector>

#include "core/error.h"
#include "io/sequence_source_formats.h"

namespace genomamba::io::detail {
namespace {

namespace fs = std::filesystem;

bool is_residue(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '*' || c == '-'; }

bool is_local(const std::string& path) { return path.find("://") == std::string::npos; }

std::string rebuild_hint(const std::string& path) { return "; rebuild it with 'samtools faidx " + path + "'"; }

// The start of the messages about an unusable index, worded for what the index is needed for.
struct Wording {
  const char* needs_fai;
  const char* needs_gzi;
  const char* needs_bgzip;
};

Wording wording(FaidxUse use) {
  if (use == FaidxUse::REGIONS) {
    return {"regions need a FASTA index", "regions in a bgzip-compressed FASTA need its '.gzi' index too",
            "regions need random access, but this FASTA is compressed with plain gzip"};
  }
  return {"a reference FASTA needs its index (.fai)", "a bgzip-compressed reference FASTA needs its '.gzi' index too",
          "a reference FASTA needs random access, but this one is compressed with plain gzip"};
}

// The index files must exist and be at least as new as the FASTA (samtools faidx writes them after reading it).
void check_index_files(const std::string& path, const std::string& fai, const std::string& gzi, bool bgzipped,
                       const Wording& words) {
  if (!is_local(path)) return;  // remote files: fai_load3 fetches and checks what it can
  std::error_code ec;
  if (!fs::exists(fai, ec)) {
    throw InputError(path + ": " + words.needs_fai + ": run 'samtools faidx " + path + "'");
  }
  if (bgzipped && !fs::exists(gzi, ec)) {
    throw InputError(path + ": " + words.needs_gzi + ": run 'samtools faidx " + path + "'");
  }
  const auto data_time = fs::last_write_time(path, ec);
  if (ec) return;
  for (const std::string& index : bgzipped ? std::vector<std::string>{fai, gzi} : std::vector<std::string>{fai}) {
    const auto index_time = fs::last_write_time(index, ec);
    if (!ec && index_time < data_time) {
      throw InputError(path + ": FASTA index '" + index + "' is older than the FASTA file (stale)" +
                       rebuild_hint(path));
    }
  }
}

[[noreturn]] void too_long(const std::string& path, const std::string& contig) {
  throw InputError(path + ": contig '" + contig +
                   "' is too long for htslib 1.16's faidx length query (2^31 bases or more)");
}

}  // namespace

FaidxIndex::FaidxIndex(const std::string& path, htsCompression compression, FaidxUse use)
    : path_(path), fai_path_(path + ".fai") {
  const Wording words = wording(use);
  if (compression == gzip) {
    throw InputError(path + ": " + words.needs_bgzip + ": recompress it with 'zcat " + path + " | bgzip > " + path +
                     ".bgz' (or 'bgzip') and run 'samtools faidx' on the result");
  }
  const bool bgzipped = compression == bgzf;
  if (bgzipped) {
    BgzfPtr stream(bgzf_open(path.c_str(), "r"));
    if (!stream) throw InputError(path + ": cannot open");
    check_bgzf_eof(stream.get(), path);
  }
  const std::string gzi = path + ".gzi";
  check_index_files(path, fai_path_, gzi, bgzipped, words);
  // Flags 0: never build a missing index behind the user's back (that would read the whole file).
  fai_.reset(fai_load3(path.c_str(), fai_path_.c_str(), bgzipped ? gzi.c_str() : nullptr, 0));
  if (!fai_) throw InputError(path + ": cannot load the FASTA index '" + fai_path_ + "'" + rebuild_hint(path));
  const int n = faidx_nseq(fai_.get());
  for (int i = 0; i < n; ++i) {
    const char* name = faidx_iseq(fai_.get(), i);
    // htslib 1.16 reports lengths as int; a contig of 2^31 bases or more comes back negative.
    const int length = faidx_seq_len(fai_.get(), name);
    if (length < 0) too_long(path_, name);
    lengths_.emplace_back(name, length);
    length_of_.emplace(name, length);
  }
}

int64_t FaidxIndex::length(const std::string& contig) const {
  const auto found = length_of_.find(contig);
  return found == length_of_.end() ? -1 : found->second;
}

void FaidxIndex::stale(const std::string& what) const {
  throw InputError(path_ + ": FASTA index '" + fai_path_ + "' does not match the file (" + what + ")" +
                   rebuild_hint(path_));
}

std::string FaidxIndex::fetch(const std::string& contig, int64_t begin, int64_t end) const {
  hts_pos_t got = 0;
  MallocCharPtr seq(faidx_fetch_seq64(fai_.get(), contig.c_str(), begin, end - 1, &got));
  const std::string region = to_string(Region{contig, begin, end, {}});
  // faidx fails at an unexpected end of file: the file is shorter than the index says (a bgzip file cut at
  // a block boundary was already caught by the EOF-marker check).
  if (!seq) stale("region '" + region + "' cannot be read: the file ends early or is corrupt");
  if (got != end - begin) {
    stale("region '" + region + "' has " + std::to_string(got) + " bases where the index promises " +
          std::to_string(end - begin));
  }
  // One pass: a character that is not even a residue (a newline, a digit) means the index is stale, which
  // is reported first; a residue that is not a nucleotide code (X, '*', an amino acid) means the FASTA is
  // not DNA.
  int64_t not_nucleotide = -1;
  for (int64_t i = 0; i < got; ++i) {
    const char c = seq.get()[i];
    if (is_nucleotide_code(c)) continue;
    if (!is_residue(c)) {
      stale("character '" + std::string(1, c) + "' inside contig '" + contig + "' at position " +
            std::to_string(begin + i + 1));
    }
    if (not_nucleotide < 0) not_nucleotide = i;
  }
  if (not_nucleotide >= 0) {
    throw InputError(path_ + ": contig '" + contig + "' has " + describe_character(seq.get()[not_nucleotide]) +
                     " at position " + std::to_string(begin + not_nucleotide + 1) +
                     ", which is not a nucleotide code (IUPAC A C G T U N R Y S W K M B D H V)");
  }
  return std::string(seq.get(), static_cast<size_t>(got));
}

void FaidxIndex::check_contig(const std::string& contig) const {
  const int64_t length = length_of_.at(contig);
  if (length == 0) return;
  static_cast<void>(fetch(contig, 0, std::min<int64_t>(length, 64)));
  static_cast<void>(fetch(contig, length - 1, length));
  // faidx clamps both ends of a fetch to the contig's true length, so two bases from [length-1, length]
  // mean the int length htslib 1.16 reports has wrapped (a contig of 2^32 bases or more).
  hts_pos_t got = 0;
  MallocCharPtr tail(faidx_fetch_seq64(fai_.get(), contig.c_str(), length - 1, length, &got));
  if (tail && got > 1) too_long(path_, contig);
}

}  // namespace genomamba::io::detail
