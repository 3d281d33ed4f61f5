// libFuzzer target: a model folder's config.json, read and validated by read_model_config. The sizes in it
// (vocab_size, d_model, ...) are claims: nothing here may allocate in proportion to them.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "io/model_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const genomamba::fuzz::MemFile file(data, size);
  genomamba::fuzz::expect_clear_errors([&] {
    const genomamba::io::ModelConfig cfg = genomamba::io::read_model_config(file.path());
    static_cast<void>(cfg.kind());
  });
  return 0;
}
