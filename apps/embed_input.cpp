// `genomamba embed`: what kind of input this is (for the duplicate-name check), how many bases it holds
// when that is known before reading it (for the ETA), and the per-record checks.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>

#include "core/error.h"
#include "embed_internal.h"
#include "io/hts_ptr.h"

namespace genomamba::apps::embed {

namespace fs = std::filesystem;

namespace {

// SAM/BAM/CRAM by content, as open_sequence_source detects it; false when the file cannot be peeked at
// (open_sequence_source has already opened it, so that does not happen for a readable file).
bool is_alignment_file(const std::string& path) {
  io::HFilePtr file(hopen(path.c_str(), "r"));
  if (!file) return false;
  htsFormat format{};
  if (hts_detect_format2(file.get(), path.c_str(), &format) < 0) return false;
  return format.format == sam || format.format == bam || format.format == cram;
}

// Sum of the lengths in a .fai, or -1 when it cannot be read or is older than the FASTA.
int64_t fai_total(const std::string& fasta, const std::string& fai) {
  std::error_code ec;
  if (!fs::exists(fai, ec)) return -1;
  const auto data_time = fs::last_write_time(fasta, ec);
  if (ec || fs::last_write_time(fai, ec) < data_time || ec) return -1;
  std::ifstream in(fai);
  std::string line;
  int64_t total = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string name;
    int64_t length = -1;
    if (!(fields >> name >> length) || length < 0) return -1;
    total += length;
  }
  return total;
}

}  // namespace

bool is_sequence_input(const io::InputSpec& spec, const io::SequenceSource& source) {
  // Standard input cannot be peeked at twice: a SAM/BAM/CRAM stream is recognised by its @SQ contigs (a
  // streamed FASTA/FASTQ has none). An unaligned BAM on standard input is therefore checked like FASTQ.
  if (spec.path == "-") return source.contig_lengths().empty();
  return !is_alignment_file(spec.path);
}

void check_read_options(const EmbedOptions& o, bool sequence_input) {
  if (!sequence_input) return;
  const auto refuse = [&o](const std::string& option, const std::string& what) {
    throw ConfigError(option + " applies to " + what + "; " + o.input + " is FASTA/FASTQ, so it would do nothing");
  };
  if (o.min_mapq != 0) refuse("--min-mapq " + std::to_string(o.min_mapq), "SAM/BAM/CRAM reads");
  if (o.exclude_flags != EmbedOptions{}.exclude_flags) refuse("-F " + std::to_string(o.exclude_flags), "SAM/BAM/CRAM reads");
  if (!o.reference.empty()) refuse("-f " + o.reference, "CRAM input (the reference its reads are compressed against)");
}

int64_t known_total_bases(const io::InputSpec& spec, const io::SequenceSource& source, bool sequences) {
  if (!sequences || spec.path == "-") return -1;
  if (spec.regions.empty()) return source.contig_lengths().empty() ? fai_total(spec.path, spec.path + ".fai") : -1;
  std::unordered_map<std::string, int64_t> length_of;
  for (const auto& [name, length] : source.contig_lengths()) length_of.emplace(name, length);
  int64_t total = 0;
  for (const io::Region& region : spec.regions) {
    const auto it = length_of.find(region.contig);
    if (it == length_of.end()) return -1;
    total += std::min(region.end, it->second) - region.begin;
  }
  return total;
}

void check_record_not_empty(const std::string& path, const io::SequenceRecord& record) {
  if (record.sequence.empty()) {
    throw InputError(path + ": record " + std::to_string(record.index + 1) + " ('" + record.name +
                     "') has no sequence");
  }
}

}  // namespace genomamba::apps::embed
