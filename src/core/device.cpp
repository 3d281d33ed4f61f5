#include "core/device.h"

#include <charconv>

#include "core/error.h"

namespace genomamba::core {

std::string Device::name() const { return kind == DeviceKind::CPU ? "cpu" : "cuda:" + std::to_string(index); }

Device parse_device(const std::string& text) {
  if (text == "cpu") return Device::cpu();
  if (text == "cuda") return Device::cuda(0);
  const std::string prefix = "cuda:";
  if (text.starts_with(prefix) && text.size() > prefix.size()) {
    int index = -1;
    const char* first = text.data() + prefix.size();
    const char* last = text.data() + text.size();
    const auto [end, error] = std::from_chars(first, last, index);
    if (error == std::errc() && end == last && index >= 0) return Device::cuda(index);
  }
  throw UsageError("device '" + text + "' is not one of cpu, cuda, cuda:<index>");
}

const char* dtype_name(DType dtype) { return dtype == DType::F32 ? "f32" : "bf16"; }

size_t dtype_size(DType dtype) { return dtype == DType::F32 ? 4 : 2; }

DType parse_dtype(const std::string& text) {
  if (text == "f32") return DType::F32;
  if (text == "bf16") return DType::BF16;
  throw UsageError("dtype '" + text + "' is not one of f32, bf16");
}

}  // namespace genomamba::core
