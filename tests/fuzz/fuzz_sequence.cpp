// libFuzzer target: the FASTA/FASTQ input of `genomamba embed`. The bytes are a file (plain, gzip or bgzip)
// opened through open_sequence_source, as a user's -i file is: format detection, the BGZF end-of-file check,
// then every record. SAM, BAM and CRAM bytes are skipped here: they go straight into HTSlib's own parsers
// (CRAM would even try to fetch a reference), which are not what this target tests.
#include <htslib/hfile.h>
#include <htslib/hts.h>
#include <htslib/hts_log.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz_support.h"
#include "io/sequence_source.h"

namespace {

bool is_alignment_format(const std::string& path) {
  hFILE* fp = hopen(path.c_str(), "r");
  if (!fp) std::abort();
  htsFormat format{};
  const int rc = hts_detect_format2(fp, path.c_str(), &format);
  if (hclose(fp) != 0) std::abort();
  return rc == 0 && (format.format == sam || format.format == bam || format.format == cram);
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
  if (is_alignment_format(file.path())) return 0;
  genomamba::fuzz::expect_clear_errors([&] {
    genomamba::io::InputSpec spec;
    spec.path = file.path();
    const auto source = genomamba::io::open_sequence_source(spec);
    genomamba::io::SequenceRecord record;
    int64_t n = 0;
    while (source->next(record)) {
      if (record.index != n++) std::abort();  // records are numbered in order
    }
  });
  return 0;
}
