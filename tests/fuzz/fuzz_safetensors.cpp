// libFuzzer target: a safetensors file as a model folder would hold it. Opens it with SafetensorsFile (header
// length, JSON header, offsets, layout) and converts every tensor, so that a view past the mapping or a size
// taken from the header instead of the file shows up as an ASan report or an allocation over the limit.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const genomamba::fuzz::MemFile file(data, size);
  genomamba::fuzz::expect_clear_errors([&] {
    const genomamba::io::SafetensorsFile st(file.path());
    for (const auto& [name, view] : st.tensors()) {
      if (view.dtype == genomamba::io::DType::I64) {
        static_cast<void>(view.to_i64());
      } else {
        static_cast<void>(view.to_f32());
      }
      static_cast<void>(genomamba::io::shape_string(view.shape));
    }
    static_cast<void>(st.metadata().size());
  });
  return 0;
}
