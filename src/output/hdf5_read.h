#pragma once
/// Reading side of the HDF5 boundary: open a file read-only, read root attributes, and read rows of the
/// extendable datasets that ExtendableDataset writes. Failures throw DeviceError naming the object.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "output/hdf5_handle.h"

namespace genomamba::output::h5 {

/// Opens an existing HDF5 file read-only; an invalid Handle when it is missing or not an HDF5 file.
Handle open_file_readonly(const std::filesystem::path& path);

/// Whether `name` (a path such as "windows/offset") exists under `loc`.
bool has_link(const Handle& loc, const std::string& name);
bool has_attribute(const Handle& loc, const std::string& name);
/// Names of the attributes of `loc`, in creation-independent (name) order.
std::vector<std::string> attribute_names(const Handle& loc);

/// Kind of a stored attribute.
enum class AttributeKind { STRING, INT, STRING_ARRAY, OTHER };
AttributeKind attribute_kind(const Handle& loc, const std::string& name);

std::string read_string_attribute(const Handle& loc, const std::string& name);
int64_t read_int_attribute(const Handle& loc, const std::string& name);
/// A 1-D string attribute (a null dataspace reads as an empty list).
std::vector<std::string> read_string_array_attribute(const Handle& loc, const std::string& name);

/// Dimensions of dataset `name`.
std::vector<int64_t> dataset_shape(const Handle& loc, const std::string& name);
/// Size in bytes of one stored element of dataset `name` (2 for float16, 4 for float32).
int64_t dataset_element_bytes(const Handle& loc, const std::string& name);
/// Reads rows [first, first + n) of a float32 or float16 dataset into `out` ([n, max(cols, 1)] floats).
void read_rows(const Handle& loc, const std::string& name, int64_t first, int64_t n, float* out);
/// Reads rows [first, first + n) of a 1-D int64 dataset.
void read_rows(const Handle& loc, const std::string& name, int64_t first, int64_t n, int64_t* out);
/// Reads rows [first, first + n) of a 1-D variable-length string dataset.
std::vector<std::string> read_string_rows(const Handle& loc, const std::string& name, int64_t first, int64_t n);

}  // namespace genomamba::output::h5
