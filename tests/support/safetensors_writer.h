#pragma once
// Builds safetensors files byte by byte for the tests, valid and deliberately malformed ones.
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

namespace genomamba::test {

/// 8-byte little-endian header length, the header (space-padded to a multiple of 8 if `pad`), then `data`.
inline std::string safetensors_bytes(std::string header, const std::string& data, bool pad = true) {
  if (pad) header.append((8 - header.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i, n >>= 8) out[static_cast<size_t>(i)] = static_cast<char>(n & 0xff);
  return out + header + data;
}

/// Only the 8-byte length prefix (for lengths that do not match the header that follows).
inline std::string length_prefix(uint64_t n) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i, n >>= 8) out[static_cast<size_t>(i)] = static_cast<char>(n & 0xff);
  return out;
}

/// The in-memory bytes of `values` (the tests run on little-endian hosts, like the reader).
template <class T>
std::string raw_bytes(std::initializer_list<T> values) {
  std::string out(values.size() * sizeof(T), '\0');
  size_t i = 0;
  for (const T& v : values) std::memcpy(out.data() + sizeof(T) * i++, &v, sizeof(T));
  return out;
}

struct TestTensor {
  std::string name;
  std::string dtype;
  std::vector<int64_t> shape;
  std::string data;  ///< raw bytes
};

/// A valid file: the tensors laid out contiguously in the given order, with "__metadata__" {"format": "pt"}.
inline std::string safetensors_file(const std::vector<TestTensor>& tensors, bool pad = true) {
  std::string header = "{\"__metadata__\":{\"format\":\"pt\"}";
  std::string data;
  for (const TestTensor& t : tensors) {
    header += ",\"" + t.name + "\":{\"dtype\":\"" + t.dtype + "\",\"shape\":[";
    for (size_t i = 0; i < t.shape.size(); ++i) {
      if (i) header += ',';
      header += std::to_string(t.shape[i]);
    }
    header += "],\"data_offsets\":[" + std::to_string(data.size()) + "," +
              std::to_string(data.size() + t.data.size()) + "]}";
    data += t.data;
  }
  return safetensors_bytes(header + "}", data, pad);
}

/// "{e0,e1,...}" (appends only: GCC 12 warns falsely on "{" + std::string temporaries).
inline std::string object(const std::vector<std::string>& entries) {
  std::string out = "{";
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i) out += ',';
    out += entries[i];
  }
  out += '}';
  return out;
}

/// The header entry of one tensor: "name":{"dtype":...,"shape":...,"data_offsets":[begin,end]}.
inline std::string entry(const std::string& name, const std::string& dtype, const std::string& shape,
                         const std::string& offsets) {
  return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
}

}  // namespace genomamba::test
