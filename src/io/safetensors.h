#pragma once
/// Reader for the safetensors format (8-byte little-endian header length, JSON header, raw tensor bytes).
/// The file is memory-mapped and treated as untrusted input: every structural problem is an InputError
/// that names the file and what is wrong.
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "io/mapped_file.h"

namespace genomamba::io {

enum class DType { F32, F16, BF16, F64, I64 };

/// "F32", "F16", ...
const char* dtype_name(DType dtype);
/// Bytes per element.
int dtype_size(DType dtype);

struct TensorView {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  std::span<const std::byte> bytes;  ///< row-major, little-endian, inside the mapping

  int64_t numel() const;
  /// The elements converted to float32 (F32, F16, BF16, F64). @throws InputError for integer tensors.
  std::vector<float> to_f32() const;
  /// The elements of an I64 tensor. @throws InputError for other dtypes.
  std::vector<int64_t> to_i64() const;
};

/// "[16, 256]"
std::string shape_string(const std::vector<int64_t>& shape);

class SafetensorsFile {
 public:
  /// Opens and validates the whole file: header length within the file and <= 100,000,000 bytes, valid
  /// JSON object, known dtypes, shapes and offsets consistent with the dtype, offsets in range, no overlaps,
  /// no holes, data buffer ending exactly at the end of the file.
  /// @throws InputError "<path>: <what is wrong>" on any violation.
  explicit SafetensorsFile(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return file_.path(); }
  /// Tensors by name (sorted).
  const std::map<std::string, TensorView>& tensors() const { return tensors_; }
  bool contains(const std::string& name) const { return tensors_.count(name) != 0; }
  /// @throws InputError "<path>: tensor '<name>' is missing" when absent.
  const TensorView& at(const std::string& name) const;
  /// The "__metadata__" map (empty if absent).
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

 private:
  MappedFile file_;
  std::map<std::string, TensorView> tensors_;
  std::map<std::string, std::string> metadata_;
};

}  // namespace genomamba::io
