#include "output/hdf5_dataset.h"

#include <hdf5.h>

#include <algorithm>
#include <bit>
#include <cstring>

#include "core/error.h"

namespace genomamba::output::h5 {
namespace {

constexpr int kDeflateLevel = 4;
constexpr int64_t kTargetChunkBytes = 1 << 20;
constexpr int64_t kMaxChunkRows = 1 << 16;
// String chunks are stored uncompressed (16-byte heap references), so they stay small.
constexpr int64_t kStringChunkRows = 1024;
// Per-dataset chunk cache: it must hold a whole chunk, or every partial append would recompress it.
constexpr size_t kChunkCacheBytes = 4u << 20;
constexpr size_t kChunkCacheSlots = 521;  // a prime, as the HDF5 manual advises

Handle string_type() {
  Handle type(H5Tcopy(H5T_C_S1), "copy string type");
  check(H5Tset_size(type.get(), H5T_VARIABLE), "set string type size");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "set string type to UTF-8");
  return type;
}

// HDF5 1.10 has no predefined half type; this is the one h5py builds, so h5py and numpy read it as float16.
Handle half_type() {
  Handle type(H5Tcopy(H5T_IEEE_F32LE), "copy float type");
  check(H5Tset_fields(type.get(), 15, 10, 5, 0, 10), "set float16 fields");
  check(H5Tset_size(type.get(), 2), "set float16 size");
  check(H5Tset_ebias(type.get(), 15), "set float16 exponent bias");
  return type;
}

// The type in the file; for F16 and STRING also the type in memory (no conversion by HDF5).
Handle file_type(Element element) {
  switch (element) {
    case Element::F32: return Handle(H5Tcopy(H5T_IEEE_F32LE), "copy float32 type");
    case Element::F16: return half_type();
    case Element::I64: return Handle(H5Tcopy(H5T_STD_I64LE), "copy int64 type");
    case Element::I8: return Handle(H5Tcopy(H5T_STD_I8LE), "copy int8 type");
    case Element::STRING: return string_type();
  }
  throw InternalError("unknown HDF5 element type");
}

int64_t element_bytes(Element element) {
  switch (element) {
    case Element::F32: return 4;
    case Element::F16: return 2;
    case Element::I64: return 8;
    case Element::I8: return 1;
    case Element::STRING: return 16;  // the heap reference stored per element
  }
  return 8;
}

}  // namespace

uint16_t float_to_half(float value) {
  const uint32_t x = std::bit_cast<uint32_t>(value);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  const uint32_t abs = x & 0x7fffffffu;
  if (abs >= 0x7f800000u) {  // inf or NaN (keep NaN quiet and non-zero)
    return static_cast<uint16_t>(sign | 0x7c00u | (abs > 0x7f800000u ? 0x0200u | ((abs >> 13) & 0x3ffu) : 0u));
  }
  if (abs >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // rounds to >= 65520: overflow
  if (abs < 0x38800000u) {  // below the smallest normal half (2^-14): subnormal or zero
    if (abs < 0x33000000u) return sign;  // below half of the smallest subnormal (2^-25): zero
    const uint32_t exponent = abs >> 23;
    const uint32_t mantissa = (abs & 0x7fffffu) | 0x800000u;
    const uint32_t shift = 126u - exponent;  // value = mantissa * 2^(exponent-150); unit 2^-24
    uint32_t half = mantissa >> shift;
    const uint32_t rest = mantissa & ((1u << shift) - 1u);
    const uint32_t halfway = 1u << (shift - 1u);
    if (rest > halfway || (rest == halfway && (half & 1u))) ++half;
    return static_cast<uint16_t>(sign | half);
  }
  // Normal: rebias the exponent (127 -> 15) and round the mantissa from 23 to 10 bits, nearest even.
  uint32_t half = ((abs - 0x38000000u) >> 13);
  const uint32_t rest = abs & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) ++half;  // a carry into the exponent is correct
  return static_cast<uint16_t>(sign | half);
}

ExtendableDataset ExtendableDataset::create(const Handle& loc, const std::string& name, Element element,
                                            int64_t cols, int64_t chunk_rows) {
  silence_errors();
  GM_CHECK(cols >= 0, "cols must be >= 0");
  const int rank = cols > 0 ? 2 : 1;
  const hsize_t dims[2] = {0, static_cast<hsize_t>(cols)};
  const hsize_t max_dims[2] = {H5S_UNLIMITED, static_cast<hsize_t>(cols)};
  if (chunk_rows <= 0 && element == Element::STRING) chunk_rows = kStringChunkRows;
  if (chunk_rows <= 0) {
    const int64_t row_bytes = element_bytes(element) * std::max<int64_t>(cols, 1);
    chunk_rows = std::clamp<int64_t>(kTargetChunkBytes / row_bytes, 1, kMaxChunkRows);
  }
  const hsize_t chunk[2] = {static_cast<hsize_t>(chunk_rows), static_cast<hsize_t>(cols)};
  const std::string what = "dataset '" + name + "'";

  Handle space(H5Screate_simple(rank, dims, max_dims), "create dataspace of " + what);
  Handle create_plist(H5Pcreate(H5P_DATASET_CREATE), "create property list of " + what);
  check(H5Pset_chunk(create_plist.get(), rank, chunk), "set chunking of " + what);
  if (element != Element::STRING) {
    check(H5Pset_shuffle(create_plist.get()), "set shuffle filter of " + what);
    check(H5Pset_deflate(create_plist.get(), kDeflateLevel), "set deflate filter of " + what);
  }
  Handle access_plist(H5Pcreate(H5P_DATASET_ACCESS), "create access property list of " + what);
  check(H5Pset_chunk_cache(access_plist.get(), kChunkCacheSlots, kChunkCacheBytes, H5D_CHUNK_CACHE_W0_DEFAULT),
        "set chunk cache of " + what);
  Handle type = file_type(element);

  ExtendableDataset result;
  result.dataset_ = Handle(H5Dcreate2(loc.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT,
                                      create_plist.get(), access_plist.get()),
                           "create " + what);
  result.name_ = name;
  result.element_ = element;
  result.cols_ = cols;
  return result;
}

Handle ExtendableDataset::extend(int64_t n_rows) {
  const std::string what = "dataset '" + name_ + "'";
  const hsize_t new_dims[2] = {static_cast<hsize_t>(rows_ + n_rows), static_cast<hsize_t>(cols_)};
  check(H5Dset_extent(dataset_.get(), new_dims), "extend " + what, dataset_.get());
  Handle file_space(H5Dget_space(dataset_.get()), "get dataspace of " + what);
  const hsize_t start[2] = {static_cast<hsize_t>(rows_), 0};
  const hsize_t count[2] = {static_cast<hsize_t>(n_rows), static_cast<hsize_t>(cols_)};
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr),
        "select rows of " + what);
  return file_space;
}

void ExtendableDataset::write(Id memory_type, const void* data, int64_t n_rows) {
  GM_CHECK(dataset_.valid(), "dataset must be open");
  if (n_rows == 0) return;
  const std::string what = "dataset '" + name_ + "'";
  Handle file_space = extend(n_rows);
  const int rank = cols_ > 0 ? 2 : 1;
  const hsize_t count[2] = {static_cast<hsize_t>(n_rows), static_cast<hsize_t>(cols_)};
  Handle memory_space(H5Screate_simple(rank, count, nullptr), "create memory dataspace of " + what);
  check(H5Dwrite(dataset_.get(), memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT, data),
        "write rows of " + what, dataset_.get());
  rows_ += n_rows;
}

void ExtendableDataset::append(const float* values, int64_t n_rows) {
  GM_CHECK(element_ == Element::F32 || element_ == Element::F16, "append(float) needs an F32 or F16 dataset");
  if (element_ == Element::F32) {
    write(H5T_NATIVE_FLOAT, values, n_rows);
    return;
  }
  // Converted here rather than by HDF5's soft float conversion, which is slow and rounds differently.
  const int64_t n = n_rows * std::max<int64_t>(cols_, 1);
  std::vector<uint16_t> half(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) half[static_cast<size_t>(i)] = float_to_half(values[i]);
  Handle type = half_type();
  write(type.get(), half.data(), n_rows);
}

void ExtendableDataset::append(const int64_t* values, int64_t n_rows) {
  GM_CHECK(element_ == Element::I64 && cols_ == 0, "append(int64) needs a 1-D I64 dataset");
  write(H5T_NATIVE_INT64, values, n_rows);
}

void ExtendableDataset::append(const int8_t* values, int64_t n_rows) {
  GM_CHECK(element_ == Element::I8 && cols_ == 0, "append(int8) needs a 1-D I8 dataset");
  write(H5T_NATIVE_INT8, values, n_rows);
}

void ExtendableDataset::append(const std::vector<std::string>& values) {
  GM_CHECK(element_ == Element::STRING && cols_ == 0, "append(strings) needs a 1-D STRING dataset");
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& v : values) pointers.push_back(v.c_str());
  Handle type = string_type();
  write(type.get(), pointers.data(), static_cast<int64_t>(values.size()));
}

Handle create_group(const Handle& loc, const std::string& name) {
  silence_errors();
  return Handle(H5Gcreate2(loc.get(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                "create group '" + name + "'");
}

namespace {

// Removes an existing attribute of that name so that it can be written again with any type.
void remove_attribute(const Handle& loc, const std::string& name) {
  const htri_t exists = H5Aexists(loc.get(), name.c_str());
  check(exists, "look up attribute '" + name + "'");
  if (exists > 0) check(H5Adelete(loc.get(), name.c_str()), "delete attribute '" + name + "'");
}

void write_attribute_data(const Handle& loc, const std::string& name, const Handle& type, const Handle& space,
                          const void* data /* nullptr: nothing to write (null dataspace) */) {
  silence_errors();
  remove_attribute(loc, name);
  Handle attribute(H5Acreate2(loc.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                   "create attribute '" + name + "'");
  if (data) check(H5Awrite(attribute.get(), type.get(), data), "write attribute '" + name + "'", loc.get());
}

}  // namespace

void write_attribute(const Handle& loc, const std::string& name, std::string_view value) {
  silence_errors();
  const std::string text(value);
  const char* pointer = text.c_str();
  Handle space(H5Screate(H5S_SCALAR), "create scalar dataspace");
  write_attribute_data(loc, name, string_type(), space, &pointer);
}

void write_attribute(const Handle& loc, const std::string& name, int64_t value) {
  silence_errors();
  Handle space(H5Screate(H5S_SCALAR), "create scalar dataspace");
  Handle type(H5Tcopy(H5T_STD_I64LE), "copy int64 type");
  write_attribute_data(loc, name, type, space, &value);
}

void write_attribute(const Handle& loc, const std::string& name, const std::vector<std::string>& values) {
  silence_errors();
  std::vector<const char*> pointers;
  for (const auto& v : values) pointers.push_back(v.c_str());
  const hsize_t dims[1] = {static_cast<hsize_t>(values.size())};
  // An empty list is stored with a null dataspace (h5py reads it as h5py.Empty).
  Handle space(values.empty() ? H5Screate(H5S_NULL) : H5Screate_simple(1, dims, nullptr),
               "create attribute dataspace");
  write_attribute_data(loc, name, string_type(), space, values.empty() ? nullptr : pointers.data());
}

}  // namespace genomamba::output::h5
