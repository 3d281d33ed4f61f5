#include "output/hdf5_read.h"

#include <hdf5.h>

#include "core/error.h"

namespace genomamba::output::h5 {

namespace {

Handle memory_string_type() {
  Handle type(H5Tcopy(H5T_C_S1), "copy string type");
  check(H5Tset_size(type.get(), H5T_VARIABLE), "set string type size");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "set string type to UTF-8");
  return type;
}

Handle open_attribute(const Handle& loc, const std::string& name) {
  return Handle(H5Aopen(loc.get(), name.c_str(), H5P_DEFAULT), "open attribute '" + name + "'");
}

Handle open_dataset(const Handle& loc, const std::string& name) {
  return Handle(H5Dopen2(loc.get(), name.c_str(), H5P_DEFAULT), "open dataset '" + name + "'");
}

// The file dataspace of `dataset` selecting rows [first, first + n), and the matching memory dataspace.
struct Selection {
  Handle file_space;
  Handle memory_space;
};

Selection select_rows(const Handle& dataset, const std::string& name, int64_t first, int64_t n) {
  Selection s;
  s.file_space = Handle(H5Dget_space(dataset.get()), "get dataspace of '" + name + "'");
  const int rank = H5Sget_simple_extent_ndims(s.file_space.get());
  check(rank, "get rank of '" + name + "'");
  GM_CHECK(rank == 1 || rank == 2, "dataset '" + name + "' must be 1-D or 2-D");
  hsize_t dims[2] = {0, 1};
  check(H5Sget_simple_extent_dims(s.file_space.get(), dims, nullptr), "get dimensions of '" + name + "'");
  GM_CHECK(first >= 0 && n >= 0 && static_cast<hsize_t>(first + n) <= dims[0],
           "rows to read must lie inside dataset '" + name + "'");
  const hsize_t start[2] = {static_cast<hsize_t>(first), 0};
  const hsize_t count[2] = {static_cast<hsize_t>(n), rank == 2 ? dims[1] : 1};
  check(H5Sselect_hyperslab(s.file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr),
        "select rows of '" + name + "'");
  s.memory_space = Handle(H5Screate_simple(rank, count, nullptr), "create memory dataspace for '" + name + "'");
  return s;
}

template <typename T>
void read_numeric_rows(const Handle& loc, const std::string& name, int64_t first, int64_t n, hid_t type,
                       T* out) {
  if (n == 0) return;
  Handle dataset = open_dataset(loc, name);
  Selection s = select_rows(dataset, name, first, n);
  check(H5Dread(dataset.get(), type, s.memory_space.get(), s.file_space.get(), H5P_DEFAULT, out),
        "read rows of '" + name + "'");
}

}  // namespace

Handle open_file_readonly(const std::filesystem::path& path) {
  silence_errors();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Handle();
  if (H5Fis_hdf5(path.c_str()) <= 0) return Handle();
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) return Handle();
  return Handle(file, "open " + path.string());
}

bool has_link(const Handle& loc, const std::string& name) {
  // H5Lexists does not accept a path whose intermediate group is missing: check each level.
  std::string prefix;
  size_t begin = 0;
  while (begin <= name.size()) {
    const size_t slash = name.find('/', begin);
    prefix = name.substr(0, slash);
    const htri_t exists = H5Lexists(loc.get(), prefix.c_str(), H5P_DEFAULT);
    if (exists <= 0) return false;
    if (slash == std::string::npos) break;
    begin = slash + 1;
  }
  return true;
}

bool has_attribute(const Handle& loc, const std::string& name) {
  const htri_t exists = H5Aexists(loc.get(), name.c_str());
  check(exists, "look up attribute '" + name + "'");
  return exists > 0;
}

std::vector<std::string> attribute_names(const Handle& loc) {
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  check(H5Aiterate2(loc.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names), "list attributes");
  return names;
}

AttributeKind attribute_kind(const Handle& loc, const std::string& name) {
  Handle attribute = open_attribute(loc, name);
  Handle type(H5Aget_type(attribute.get()), "get type of attribute '" + name + "'");
  Handle space(H5Aget_space(attribute.get()), "get dataspace of attribute '" + name + "'");
  const H5T_class_t type_class = H5Tget_class(type.get());
  const H5S_class_t space_class = H5Sget_simple_extent_type(space.get());
  if (type_class == H5T_STRING) {
    if (space_class == H5S_SCALAR && H5Tis_variable_str(type.get()) > 0) return AttributeKind::STRING;
    if (space_class == H5S_NULL || (space_class == H5S_SIMPLE && H5Sget_simple_extent_ndims(space.get()) == 1)) {
      return H5Tis_variable_str(type.get()) > 0 ? AttributeKind::STRING_ARRAY : AttributeKind::OTHER;
    }
    return AttributeKind::OTHER;
  }
  if (type_class == H5T_INTEGER && space_class == H5S_SCALAR) return AttributeKind::INT;
  return AttributeKind::OTHER;
}

std::string read_string_attribute(const Handle& loc, const std::string& name) {
  Handle attribute = open_attribute(loc, name);
  Handle type = memory_string_type();
  char* raw = nullptr;
  check(H5Aread(attribute.get(), type.get(), &raw), "read attribute '" + name + "'");
  std::string value = raw ? raw : "";
  H5free_memory(raw);
  return value;
}

int64_t read_int_attribute(const Handle& loc, const std::string& name) {
  Handle attribute = open_attribute(loc, name);
  int64_t value = 0;
  check(H5Aread(attribute.get(), H5T_NATIVE_INT64, &value), "read attribute '" + name + "'");
  return value;
}

std::vector<std::string> read_string_array_attribute(const Handle& loc, const std::string& name) {
  Handle attribute = open_attribute(loc, name);
  Handle space(H5Aget_space(attribute.get()), "get dataspace of attribute '" + name + "'");
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  check(static_cast<int>(n < 0 ? -1 : 0), "count attribute '" + name + "'");
  if (n == 0 || H5Sget_simple_extent_type(space.get()) == H5S_NULL) return {};
  Handle type = memory_string_type();
  std::vector<char*> raw(static_cast<size_t>(n), nullptr);
  check(H5Aread(attribute.get(), type.get(), raw.data()), "read attribute '" + name + "'");
  std::vector<std::string> values;
  for (char* p : raw) values.emplace_back(p ? p : "");
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, raw.data());
  return values;
}

std::vector<int64_t> dataset_shape(const Handle& loc, const std::string& name) {
  Handle dataset = open_dataset(loc, name);
  Handle space(H5Dget_space(dataset.get()), "get dataspace of '" + name + "'");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  check(rank, "get rank of '" + name + "'");
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), "get dimensions of '" + name + "'");
  return std::vector<int64_t>(dims.begin(), dims.end());
}

int64_t dataset_element_bytes(const Handle& loc, const std::string& name) {
  Handle dataset = open_dataset(loc, name);
  Handle type(H5Dget_type(dataset.get()), "get type of '" + name + "'");
  return static_cast<int64_t>(H5Tget_size(type.get()));
}

void read_rows(const Handle& loc, const std::string& name, int64_t first, int64_t n, float* out) {
  // HDF5 converts float16 (a custom float type) to native float exactly.
  read_numeric_rows(loc, name, first, n, H5T_NATIVE_FLOAT, out);
}

void read_rows(const Handle& loc, const std::string& name, int64_t first, int64_t n, int64_t* out) {
  read_numeric_rows(loc, name, first, n, H5T_NATIVE_INT64, out);
}

std::vector<std::string> read_string_rows(const Handle& loc, const std::string& name, int64_t first, int64_t n) {
  if (n == 0) return {};
  Handle dataset = open_dataset(loc, name);
  Selection s = select_rows(dataset, name, first, n);
  Handle type = memory_string_type();
  std::vector<char*> raw(static_cast<size_t>(n), nullptr);
  check(H5Dread(dataset.get(), type.get(), s.memory_space.get(), s.file_space.get(), H5P_DEFAULT, raw.data()),
        "read rows of '" + name + "'");
  std::vector<std::string> values;
  values.reserve(raw.size());
  for (char* p : raw) values.emplace_back(p ? p : "");
  H5Dvlen_reclaim(type.get(), s.memory_space.get(), H5P_DEFAULT, raw.data());
  return values;
}

}  // namespace genomamba::output::h5
