// libFuzzer target: a BED file given with -R (plain, gzip or bgzip bytes), read by read_bed line by line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz_support.h"
#include "io/region.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const genomamba::fuzz::MemFile file(data, size);
  genomamba::fuzz::expect_clear_errors([&] {
    for (const genomamba::io::Region& region : genomamba::io::read_bed(file.path())) {
      // read_bed promises non-empty, non-negative half-open intervals.
      if (region.begin < 0 || region.end <= region.begin || region.contig.empty()) std::abort();
      static_cast<void>(genomamba::io::to_string(region));
    }
  });
  return 0;
}
