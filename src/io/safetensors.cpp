// Validation of an untrusted safetensors file (model-spec §6): every problem is an InputError that starts
// with the file path and names what is wrong in one line.
#include "io/safetensors.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "core/error.h"
#include "io/json_strict.h"

namespace genomamba::io {
namespace {

using nlohmann::json;

constexpr uint64_t kMaxHeaderSize = 100'000'000;  // safetensors MAX_HEADER_SIZE

// One header entry after per-tensor validation; offsets are relative to the data buffer.
struct Entry {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  uint64_t begin = 0;
  uint64_t end = 0;
};

std::optional<DType> parse_dtype(std::string_view s) {
  if (s == "F32") return DType::F32;
  if (s == "F16") return DType::F16;
  if (s == "BF16") return DType::BF16;
  if (s == "F64") return DType::F64;
  if (s == "I64") return DType::I64;
  return std::nullopt;
}

// Validates the header and the data layout of one file; `fail` prefixes every message with the path.
class HeaderValidator {
 public:
  explicit HeaderValidator(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& what) const { throw InputError(path_ + ": " + what); }

  /// Returns the header length N after checking it against the file size and the format limit.
  uint64_t header_length(std::span<const std::byte> file) const {
    if (file.size() < 8) {
      fail("file is too short for a safetensors header (" + std::to_string(file.size()) +
           " bytes, need at least 8)");
    }
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | std::to_integer<uint64_t>(file[static_cast<size_t>(i)]);
    if (n > kMaxHeaderSize) {
      fail("header length " + std::to_string(n) + " exceeds the limit of " + std::to_string(kMaxHeaderSize) +
           " bytes");
    }
    if (n > file.size() - 8) {
      fail("header length " + std::to_string(n) + " exceeds the file size (" + std::to_string(file.size()) +
           " bytes)");
    }
    return n;
  }

  json parse(std::string_view text) const {
    if (text.empty() || text.front() != '{') fail("header does not start with '{'");
    try {
      return detail::parse_json_strict<json>(text);
    } catch (const detail::DuplicateKeyError& e) {
      fail("header has a duplicate key '" + e.key() + "'");
    } catch (const detail::JsonTooDeepError& e) {
      fail(std::string("header ") + e.what());
    } catch (const json::exception& e) {
      fail(std::string("header is not valid JSON: ") + e.what());
    }
  }

  std::map<std::string, std::string> metadata(const json& value) const {
    if (!value.is_object()) fail("'__metadata__' must be an object of strings");
    std::map<std::string, std::string> out;
    for (const auto& [key, v] : value.items()) {
      if (!v.is_string()) fail("'__metadata__' value of '" + key + "' must be a string, got " + v.dump());
      out.emplace(key, v.get<std::string>());
    }
    return out;
  }

  Entry entry(const std::string& name, const json& info) const {
    const std::string t = "tensor '" + name + "'";
    if (!info.is_object()) fail(t + " must be an object with dtype, shape and data_offsets");
    Entry e;
    e.name = name;
    const json& dtype = field(info, t, "dtype");
    if (!dtype.is_string()) fail(t + " field 'dtype' must be a string, got " + dtype.dump());
    const auto parsed = parse_dtype(dtype.get_ref<const std::string&>());
    if (!parsed) fail("unsupported dtype '" + dtype.get<std::string>() + "' for " + t);
    e.dtype = *parsed;
    e.shape = shape(info, t);
    const json& offsets = field(info, t, "data_offsets");
    if (!offsets.is_array() || offsets.size() != 2) {
      fail(t + " field 'data_offsets' must be [begin, end], got " + offsets.dump());
    }
    e.begin = offset(offsets[0], t);
    e.end = offset(offsets[1], t);
    std::string offsets_text = range(e.begin, e.end);
    offsets_text.back() = ']';
    if (e.begin > e.end) fail(t + " data_offsets " + offsets_text + " have begin > end");
    const uint64_t nbytes = byte_size(e, t);
    if (e.end - e.begin != nbytes) {
      fail(t + " data_offsets " + offsets_text + " do not match dtype " + dtype_name(e.dtype) + " and shape " +
           shape_string(e.shape) + " (" + std::to_string(nbytes) + " bytes)");
    }
    return e;
  }

  /// The tensors must tile [0, data_size) exactly: no overlap, no hole, nothing past the end of the file.
  void check_layout(std::vector<const Entry*> order, uint64_t header_end, uint64_t file_size) const {
    std::sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) {
      return std::tie(a->begin, a->end, a->name) < std::tie(b->begin, b->end, b->name);
    });
    const uint64_t data_size = file_size - header_end;
    uint64_t pos = 0;
    const Entry* prev = nullptr;
    for (const Entry* e : order) {
      if (e->begin < pos) fail("tensors '" + prev->name + "' and '" + e->name + "' overlap");
      // Offsets past the data are named as such, not as a "hole" of bytes the file does not have.
      if (e->end > data_size) {
        const uint64_t need = e->end > UINT64_MAX - header_end ? UINT64_MAX : header_end + e->end;
        fail("file is truncated: data ends at byte " + std::to_string(file_size) + " but tensors need " +
             std::to_string(need) + " (tensor '" + e->name + "' data_offsets " + range(e->begin, e->end) +
             " reach beyond the " + std::to_string(data_size) + " bytes of data)");
      }
      if (e->begin > pos) fail("data buffer has a hole at bytes " + range(pos, e->begin));
      pos = e->end;
      prev = e;
    }
    if (pos < data_size) fail("data buffer has a hole at bytes " + range(pos, data_size) + " after the last tensor");
  }

 private:
  // "[a, b)"; built by appending (GCC 12 gives a false -Wrestrict for "[" + std::to_string(...)).
  static std::string range(uint64_t a, uint64_t b) {
    std::string s = "[";
    s += std::to_string(a);
    s += ", ";
    s += std::to_string(b);
    s += ')';
    return s;
  }

  const json& field(const json& info, const std::string& t, const char* key) const {
    const auto it = info.find(key);
    if (it == info.end()) fail(t + " has no '" + key + "'");
    return *it;
  }

  std::vector<int64_t> shape(const json& info, const std::string& t) const {
    const json& s = field(info, t, "shape");
    if (!s.is_array()) fail(t + " field 'shape' must be an array, got " + s.dump());
    std::vector<int64_t> out;
    for (const json& d : s) {
      if (d.is_number_unsigned()) {
        const auto v = d.get<uint64_t>();
        if (v > static_cast<uint64_t>(INT64_MAX)) fail(t + " shape entry " + d.dump() + " is too large");
        out.push_back(static_cast<int64_t>(v));
      } else if (d.is_number_integer()) {
        fail(t + " shape " + s.dump() + " has a negative dimension " + d.dump());
      } else {
        fail(t + " shape entry " + d.dump() + " is not a non-negative integer");
      }
    }
    return out;
  }

  uint64_t offset(const json& v, const std::string& t) const {
    if (!v.is_number_unsigned()) fail(t + " data_offsets entry " + v.dump() + " is not a non-negative integer");
    return v.get<uint64_t>();
  }

  uint64_t byte_size(const Entry& e, const std::string& t) const {
    uint64_t n = static_cast<uint64_t>(dtype_size(e.dtype));
    for (int64_t d : e.shape) {
      if (__builtin_mul_overflow(n, static_cast<uint64_t>(d), &n)) fail(t + " shape " + shape_string(e.shape) + " is too large");
    }
    return n;
  }

  std::string path_;
};

}  // namespace

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path) : file_(path) {
  const HeaderValidator check(path.string());
  const std::span<const std::byte> bytes = file_.bytes();
  const uint64_t n = check.header_length(bytes);
  const uint64_t header_end = 8 + n;
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()) + 8, n);
  const json header = check.parse(text);

  std::vector<Entry> entries;
  for (const auto& [key, value] : header.items()) {
    if (key == "__metadata__") {
      metadata_ = check.metadata(value);
    } else {
      entries.push_back(check.entry(key, value));
    }
  }
  std::vector<const Entry*> order;
  for (const Entry& e : entries) order.push_back(&e);
  check.check_layout(std::move(order), header_end, bytes.size());

  for (Entry& e : entries) {
    TensorView view;
    view.name = e.name;
    view.dtype = e.dtype;
    view.shape = std::move(e.shape);
    view.bytes = bytes.subspan(header_end + e.begin, e.end - e.begin);
    tensors_.emplace(std::move(e.name), std::move(view));
  }
}

const TensorView& SafetensorsFile::at(const std::string& name) const {
  const auto it = tensors_.find(name);
  if (it == tensors_.end()) throw InputError(path().string() + ": tensor '" + name + "' is missing");
  return it->second;
}

}  // namespace genomamba::io
