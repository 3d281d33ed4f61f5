#pragma once
// Reads HDF5 files back with the C API, for the writer tests (independent of the writer's own helpers).
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace genomamba::test {

/// An open HDF5 file, read-only; closed on destruction.
class H5File {
 public:
  explicit H5File(const std::filesystem::path& path) : id_(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {
    if (id_ < 0) throw std::runtime_error("cannot open " + path.string());
  }
  ~H5File() { H5Fclose(id_); }
  H5File(const H5File&) = delete;
  H5File& operator=(const H5File&) = delete;
  hid_t id() const { return id_; }

  bool exists(const std::string& name) const { return H5Lexists(id_, name.c_str(), H5P_DEFAULT) > 0; }

  /// Dimensions of a dataset.
  std::vector<hsize_t> shape(const std::string& name) const {
    const hid_t dataset = open(name);
    const hid_t space = H5Dget_space(dataset);
    std::vector<hsize_t> dims(static_cast<size_t>(H5Sget_simple_extent_ndims(space)));
    H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    H5Sclose(space);
    H5Dclose(dataset);
    return dims;
  }

  /// Maximum dimensions of a dataset (H5S_UNLIMITED where unlimited).
  std::vector<hsize_t> max_shape(const std::string& name) const {
    const hid_t dataset = open(name);
    const hid_t space = H5Dget_space(dataset);
    std::vector<hsize_t> dims(static_cast<size_t>(H5Sget_simple_extent_ndims(space)));
    std::vector<hsize_t> max_dims(dims.size());
    H5Sget_simple_extent_dims(space, dims.data(), max_dims.data());
    H5Sclose(space);
    H5Dclose(dataset);
    return max_dims;
  }

  /// Size in bytes of the stored element type and its class.
  size_t element_size(const std::string& name) const {
    const hid_t dataset = open(name);
    const hid_t type = H5Dget_type(dataset);
    const size_t size = H5Tget_size(type);
    H5Tclose(type);
    H5Dclose(dataset);
    return size;
  }

  std::vector<float> floats(const std::string& name) const { return read<float>(name, H5T_NATIVE_FLOAT); }
  std::vector<int64_t> ints(const std::string& name) const { return read<int64_t>(name, H5T_NATIVE_INT64); }

  std::vector<std::string> strings(const std::string& name) const {
    const hid_t dataset = open(name);
    const hid_t type = H5Dget_type(dataset);
    const hid_t space = H5Dget_space(dataset);
    std::vector<char*> raw(static_cast<size_t>(H5Sget_simple_extent_npoints(space)));
    if (!raw.empty()) H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data());
    std::vector<std::string> out(raw.begin(), raw.end());
    if (!raw.empty()) H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw.data());
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(dataset);
    return out;
  }

  /// Every dataset's path ("/windows/name", ...), in the order HDF5 visits them (by name).
  std::vector<std::string> dataset_names() const {
    std::vector<std::string> names;
    const auto visit = [](hid_t, const char* name, const H5O_info_t* info, void* data) -> herr_t {
      if (info->type != H5O_TYPE_DATASET) return 0;
      std::string path = "/";
      path.append(name);
      static_cast<std::vector<std::string>*>(data)->push_back(std::move(path));
      return 0;
    };
    if (H5Ovisit(id_, H5_INDEX_NAME, H5_ITER_INC, visit, &names) < 0) throw std::runtime_error("cannot list datasets");
    return names;
  }

  /// A dataset's values as the bytes of its native memory type (variable-length strings: the strings, joined
  /// with NUL), so that any two datasets compare exactly whatever their type.
  std::string raw_values(const std::string& name) const {
    const hid_t dataset = open(name);
    const hid_t file_type = H5Dget_type(dataset);
    const bool strings_vlen = H5Tget_class(file_type) == H5T_STRING && H5Tis_variable_str(file_type) > 0;
    H5Tclose(file_type);
    H5Dclose(dataset);
    if (strings_vlen) {
      std::string joined;
      for (const std::string& text : strings(name)) joined += text + '\0';
      return joined;
    }
    const hid_t d = open(name);
    const hid_t type = H5Dget_type(d);
    const hid_t native = H5Tget_native_type(type, H5T_DIR_ASCEND);
    const hid_t space = H5Dget_space(d);
    std::string bytes(static_cast<size_t>(H5Sget_simple_extent_npoints(space)) * H5Tget_size(native), '\0');
    const herr_t status = bytes.empty() ? 0 : H5Dread(d, native, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
    H5Sclose(space);
    H5Tclose(native);
    H5Tclose(type);
    H5Dclose(d);
    if (status < 0) throw std::runtime_error("cannot read " + name);
    return bytes;
  }

  bool has_attribute(const std::string& name) const { return H5Aexists(id_, name.c_str()) > 0; }

  std::string string_attribute(const std::string& name) const {
    const hid_t attribute = H5Aopen(id_, name.c_str(), H5P_DEFAULT);
    if (attribute < 0) throw std::runtime_error("no attribute " + name);
    const hid_t type = H5Aget_type(attribute);
    char* raw = nullptr;
    H5Aread(attribute, type, &raw);
    std::string out = raw ? raw : "";
    H5free_memory(raw);
    H5Tclose(type);
    H5Aclose(attribute);
    return out;
  }

  int64_t int_attribute(const std::string& name) const {
    const hid_t attribute = H5Aopen(id_, name.c_str(), H5P_DEFAULT);
    if (attribute < 0) throw std::runtime_error("no attribute " + name);
    int64_t value = -1;
    H5Aread(attribute, H5T_NATIVE_INT64, &value);
    H5Aclose(attribute);
    return value;
  }

  std::vector<std::string> string_array_attribute(const std::string& name) const {
    const hid_t attribute = H5Aopen(id_, name.c_str(), H5P_DEFAULT);
    if (attribute < 0) throw std::runtime_error("no attribute " + name);
    const hid_t type = H5Aget_type(attribute);
    const hid_t space = H5Aget_space(attribute);
    std::vector<char*> raw(static_cast<size_t>(H5Sget_simple_extent_npoints(space)));
    if (!raw.empty()) H5Aread(attribute, type, raw.data());
    std::vector<std::string> out(raw.begin(), raw.end());
    if (!raw.empty()) H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw.data());
    H5Sclose(space);
    H5Tclose(type);
    H5Aclose(attribute);
    return out;
  }

 private:
  hid_t open(const std::string& name) const {
    const hid_t dataset = H5Dopen2(id_, name.c_str(), H5P_DEFAULT);
    if (dataset < 0) throw std::runtime_error("no dataset " + name);
    return dataset;
  }

  template <typename T>
  std::vector<T> read(const std::string& name, hid_t memory_type) const {
    const hid_t dataset = open(name);
    const hid_t space = H5Dget_space(dataset);
    std::vector<T> out(static_cast<size_t>(H5Sget_simple_extent_npoints(space)));
    if (!out.empty() && H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0) {
      throw std::runtime_error("cannot read " + name);
    }
    H5Sclose(space);
    H5Dclose(dataset);
    return out;
  }

  hid_t id_;
};

}  // namespace genomamba::test
