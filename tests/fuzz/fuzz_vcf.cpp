// libFuzzer target: the variants file of `genomamba score` (VCF, bgzipped VCF or BCF bytes), opened through
// VcfReader as a user's -v file is. Each record is read and formatted; then, when the header declares a contig,
// the file is read again with a region on it, which takes the streamed region filter.
#include <htslib/hts_log.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "io/vcf_reader.h"

namespace {

void read_all(const std::string& path, const std::vector<std::string>& regions, std::string* first_contig) {
  genomamba::io::VcfReader reader(path, regions);
  static_cast<void>(reader.header_text());
  const auto contigs = reader.contigs();
  if (first_contig && !contigs.empty()) *first_contig = contigs.front().name;
  genomamba::io::VcfRecord record;
  while (reader.next(record)) {
  }
}

}  // namespace

// HTSlib warns on stderr about much of what the fuzzer writes (undeclared tags, odd headers): silenced, since
// millions of lines would slow the run and bury libFuzzer's report. Errors still reach us as return codes.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  hts_set_log_level(HTS_LOG_OFF);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const genomamba::fuzz::MemFile file(data, size);
  std::string contig;
  genomamba::fuzz::expect_clear_errors([&] { read_all(file.path(), {}, &contig); });
  if (!contig.empty()) {
    genomamba::fuzz::expect_clear_errors([&] { read_all(file.path(), {"{" + contig + "}:2-100"}, nullptr); });
  }
  return 0;
}
