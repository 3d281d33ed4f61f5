#pragma once
/// Chunked, compressed datasets that grow along their first axis, plus attribute helpers: the building
/// blocks of every genomamba HDF5 layout (design §8: "chunked and extendable along their first axis;
/// strings are variable-length UTF-8"). All failures throw DeviceError naming the dataset and operation.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "output/hdf5_handle.h"

namespace genomamba::output::h5 {

/// Element type of a dataset as stored in the file.
enum class Element {
  F32,     ///< IEEE float32 little-endian
  F16,     ///< IEEE float16 little-endian (the layout h5py and numpy read as float16)
  I64,     ///< int64 little-endian
  I8,      ///< int8
  STRING,  ///< variable-length UTF-8 string
};

/// A dataset of shape [rows] (cols == 0) or [rows, cols], maxshape [unlimited(, cols)], chunked along
/// rows; numeric datasets are compressed with shuffle + deflate. Rows are only ever appended.
class ExtendableDataset {
 public:
  ExtendableDataset() = default;
  /// Creates `name` (an absolute or relative path; intermediate groups must exist) under `loc`.
  /// @param cols 0 for a 1-D dataset, else the fixed second dimension.
  /// @param chunk_rows rows per chunk; 0 picks about 1 MiB per chunk (1024 rows for strings).
  static ExtendableDataset create(const Handle& loc, const std::string& name, Element element, int64_t cols,
                                  int64_t chunk_rows = 0);

  /// Appends `n_rows` rows of float32 values ([n_rows, max(cols, 1)] row-major). F16 datasets store
  /// them rounded to nearest even. Only for F32 and F16 datasets.
  void append(const float* values, int64_t n_rows);
  /// Appends `n_rows` int64 values (1-D I64 datasets).
  void append(const int64_t* values, int64_t n_rows);
  /// Appends `n_rows` int8 values (1-D I8 datasets).
  void append(const int8_t* values, int64_t n_rows);
  /// Appends strings (1-D STRING datasets).
  void append(const std::vector<std::string>& values);

  int64_t rows() const { return rows_; }
  int64_t cols() const { return cols_; }
  const std::string& name() const { return name_; }
  /// Closes the dataset (flushes its chunk cache). @throws DeviceError on failure.
  void close() { dataset_.close(); }

 private:
  // Extends the dataset by n_rows and returns the file dataspace selecting the new rows.
  Handle extend(int64_t n_rows);
  void write(Id memory_type, const void* data, int64_t n_rows);

  Handle dataset_;
  std::string name_;
  Element element_ = Element::F32;
  int64_t rows_ = 0;
  int64_t cols_ = 0;
};

/// Creates a group. @throws DeviceError "HDF5: cannot create group '<name>'".
Handle create_group(const Handle& loc, const std::string& name);

/// Writes (or overwrites) a scalar attribute: variable-length UTF-8 string or int64.
void write_attribute(const Handle& loc, const std::string& name, std::string_view value);
void write_attribute(const Handle& loc, const std::string& name, int64_t value);
/// Writes (or overwrites) a 1-D attribute of variable-length UTF-8 strings.
void write_attribute(const Handle& loc, const std::string& name, const std::vector<std::string>& values);

/// IEEE binary16 bits of `value`, rounded to nearest even (overflow -> inf, NaN stays NaN).
uint16_t float_to_half(float value);

}  // namespace genomamba::output::h5
