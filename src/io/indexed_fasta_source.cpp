// FASTA by region through htslib's faidx (.fai, plus .gzi for bgzip). faidx trusts its index blindly: with a
// stale .fai it returns header text or bytes of the next record as sequence, so the index is checked for age
// and every fetched sequence for length and content.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <unordered_map>

#include "core/error.h"
#include "io/sequence_source_formats.h"

namespace genomamba::io::detail {
namespace {

namespace fs = std::filesystem;

bool is_residue(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '*' || c == '-'; }

bool is_local(const std::string& path) { return path.find("://") == std::string::npos; }

std::string rebuild_hint(const std::string& path) { return "; rebuild it with 'samtools faidx " + path + "'"; }

// The index files must exist and be at least as new as the FASTA (samtools faidx writes them after reading it).
void check_index_files(const std::string& path, const std::string& fai, const std::string& gzi, bool bgzipped) {
  if (!is_local(path)) return;  // remote files: fai_load3 fetches and checks what it can
  std::error_code ec;
  if (!fs::exists(fai, ec)) {
    throw InputError(path + ": regions need a FASTA index: run 'samtools faidx " + path + "'");
  }
  if (bgzipped && !fs::exists(gzi, ec)) {
    throw InputError(path + ": regions in a bgzip-compressed FASTA need its '.gzi' index too: run 'samtools faidx " +
                     path + "'");
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

class IndexedFastaSource final : public SequenceSource {
 public:
  IndexedFastaSource(const InputSpec& spec, FaidxPtr fai, std::string fai_path)
      : path_(spec.path), fai_path_(std::move(fai_path)), fai_(std::move(fai)) {
    const int n = faidx_nseq(fai_.get());
    for (int i = 0; i < n; ++i) {
      const char* name = faidx_iseq(fai_.get(), i);
      // htslib 1.16 reports lengths as int; a contig of 2^31 bases or more comes back negative.
      const int length = faidx_seq_len(fai_.get(), name);
      if (length < 0) {
        throw InputError(path_ + ": contig '" + std::string(name) +
                         "' is too long for htslib 1.16's faidx length query (2^31 bases or more)");
      }
      lengths_.emplace_back(name, length);
      length_of_.emplace(name, length);
    }
    check_regions(spec.regions, lengths_, path_);
    regions_ = spec.regions;
    std::set<std::string> used;
    for (Region& region : regions_) {
      if (region.end == kRegionEnd) region.end = length_of_.at(region.contig);
      used.insert(region.contig);
    }
    for (const std::string& contig : used) check_contig(contig);
  }

  bool next(SequenceRecord& record) override {
    if (next_ == regions_.size()) return false;
    const Region& region = regions_[next_];
    record.sequence = fetch(region.contig, region.begin, region.end);
    record.name = region.contig;
    record.offset = region.begin;
    record.index = static_cast<int64_t>(next_++);
    return true;
  }

  const std::string& path() const override { return path_; }
  ContigLengths contig_lengths() const override { return lengths_; }

 private:
  [[noreturn]] void stale(const std::string& what) const {
    throw InputError(path_ + ": FASTA index '" + fai_path_ + "' does not match the file (" + what + ")" +
                     rebuild_hint(path_));
  }

  // Sequence of [begin, end) on `contig`, checked to be exactly end - begin residues.
  std::string fetch(const std::string& contig, int64_t begin, int64_t end) const {
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
    for (int64_t i = 0; i < got; ++i) {
      if (!is_residue(seq.get()[i])) {
        stale("character '" + std::string(1, seq.get()[i]) + "' inside contig '" + contig + "' at position " +
              std::to_string(begin + i + 1));
      }
    }
    return std::string(seq.get(), static_cast<size_t>(got));
  }

  // Cheap consistency checks of one contig's index entry: its first bases, its last base, and nothing after it.
  void check_contig(const std::string& contig) const {
    const int64_t length = length_of_.at(contig);
    if (length == 0) return;
    static_cast<void>(fetch(contig, 0, std::min<int64_t>(length, 64)));
    static_cast<void>(fetch(contig, length - 1, length));
    // faidx clamps both ends of a fetch to the contig's true length, so two bases from [length-1, length]
    // mean the int length htslib 1.16 reports has wrapped (a contig of 2^32 bases or more).
    hts_pos_t got = 0;
    MallocCharPtr tail(faidx_fetch_seq64(fai_.get(), contig.c_str(), length - 1, length, &got));
    if (tail && got > 1) {
      throw InputError(path_ + ": contig '" + contig +
                       "' is too long for htslib 1.16's faidx length query (2^31 bases or more)");
    }
  }

  std::string path_;
  std::string fai_path_;
  FaidxPtr fai_;
  ContigLengths lengths_;
  std::unordered_map<std::string, int64_t> length_of_;
  std::vector<Region> regions_;
  size_t next_ = 0;
};

}  // namespace

std::unique_ptr<SequenceSource> open_indexed_fasta(const InputSpec& spec, htsCompression compression) {
  const std::string& path = spec.path;
  if (compression == gzip) {
    throw InputError(path + ": regions need random access, but this FASTA is compressed with plain gzip: "
                     "recompress it with 'zcat " + path + " | bgzip > " + path + ".bgz' (or 'bgzip') and run "
                     "'samtools faidx' on the result");
  }
  const bool bgzipped = compression == bgzf;
  if (bgzipped) {
    BgzfPtr stream(bgzf_open(path.c_str(), "r"));
    if (!stream) throw InputError(path + ": cannot open");
    check_bgzf_eof(stream.get(), path);
  }
  const std::string fai = path + ".fai";
  const std::string gzi = path + ".gzi";
  check_index_files(path, fai, gzi, bgzipped);
  // Flags 0: never build a missing index behind the user's back (that would read the whole file).
  FaidxPtr index(fai_load3(path.c_str(), fai.c_str(), bgzipped ? gzi.c_str() : nullptr, 0));
  if (!index) throw InputError(path + ": cannot load the FASTA index '" + fai + "'" + rebuild_hint(path));
  return std::make_unique<IndexedFastaSource>(spec, std::move(index), fai);
}

}  // namespace genomamba::io::detail
