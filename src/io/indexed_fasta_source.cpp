// FASTA by region through htslib's faidx (.fai, plus .gzi for bgzip); the index is loaded and checked by
// FaidxIndex (faidx_index.cpp), shared with ReferenceFasta.
#include <set>

#include "core/error.h"
#include "io/faidx_index.h"
#include "io/sequence_source_formats.h"

namespace genomamba::io::detail {
namespace {

class IndexedFastaSource final : public SequenceSource {
 public:
  IndexedFastaSource(const InputSpec& spec, htsCompression compression)
      : index_(spec.path, compression, FaidxUse::REGIONS) {
    check_regions(spec.regions, index_.contigs(), index_.path());
    regions_ = spec.regions;
    std::set<std::string> used;
    for (Region& region : regions_) {
      if (region.end == kRegionEnd) region.end = index_.length(region.contig);
      used.insert(region.contig);
    }
    for (const std::string& contig : used) index_.check_contig(contig);
  }

  bool next(SequenceRecord& record) override {
    if (next_ == regions_.size()) return false;
    const Region& region = regions_[next_];
    record.sequence = index_.fetch(region.contig, region.begin, region.end);
    record.name = region.contig;
    record.offset = region.begin;
    record.index = static_cast<int64_t>(next_++);
    return true;
  }

  const std::string& path() const override { return index_.path(); }
  ContigLengths contig_lengths() const override { return index_.contigs(); }

 private:
  FaidxIndex index_;
  std::vector<Region> regions_;
  size_t next_ = 0;
};

}  // namespace

std::unique_ptr<SequenceSource> open_indexed_fasta(const InputSpec& spec, htsCompression compression) {
  return std::make_unique<IndexedFastaSource>(spec, compression);
}

}  // namespace genomamba::io::detail
