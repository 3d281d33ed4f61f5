// libFuzzer target: a samtools-style region string as given to -r. Besides crashes it checks one property:
// to_string() writes a region that parse_region() reads back as the same region, since the job manifest and
// messages rely on that text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_support.h"
#include "io/region.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A command-line argument cannot hold a NUL byte; stop at the first one, as argv would.
  std::string text(reinterpret_cast<const char*>(data), size);
  text = text.c_str();
  genomamba::fuzz::expect_clear_errors([&] {
    const genomamba::io::Region region = genomamba::io::parse_region(text);
    // Braces delimit a contig name containing ':'; a name that itself holds '{' or '}' cannot be written back
    // (such names are not valid SAM reference names either), so the round trip is checked without them.
    if (region.contig.find_first_of("{}") != std::string::npos) return;
    const std::string written = genomamba::io::to_string(region);
    const genomamba::io::Region again = genomamba::io::parse_region(written);
    if (!(again == region)) std::abort();
  });
  return 0;
}
