#pragma once
/// JSON parsing that rejects duplicate object keys (nlohmann silently keeps the last one). Private to io/.
#include <nlohmann/json.hpp>

#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace genomamba::io::detail {

/// Thrown by parse_json_strict when an object has the same key twice.
class DuplicateKeyError : public std::runtime_error {
 public:
  explicit DuplicateKeyError(const std::string& key)
      : std::runtime_error("duplicate key '" + key + "'"), key_(key) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

/// Objects and arrays nested deeper than this are refused. nlohmann parses any depth without recursion, but
/// dump() (used in our error messages) and a few other operations recurse once per level, so a header of
/// 100 KB of '[' would overflow the stack. Safetensors headers and config.json files nest 3 levels.
inline constexpr int kMaxJsonDepth = 64;

/// Thrown by parse_json_strict when objects/arrays nest deeper than kMaxJsonDepth.
class JsonTooDeepError : public std::runtime_error {
 public:
  JsonTooDeepError()
      : std::runtime_error("nests objects or arrays deeper than " + std::to_string(kMaxJsonDepth) + " levels") {}
};

/// Parses `text` (trailing whitespace allowed) into a Json (nlohmann::json or nlohmann::ordered_json).
/// @throws nlohmann::json::parse_error on invalid JSON, DuplicateKeyError on a repeated key at any depth,
///         JsonTooDeepError past kMaxJsonDepth levels.
template <class Json>
Json parse_json_strict(std::string_view text) {
  // One set of seen keys per open object; arrays do not open a scope for keys.
  std::vector<std::set<std::string>> scopes;
  auto callback = [&scopes](int depth, typename Json::parse_event_t event, Json& parsed) {
    using E = typename Json::parse_event_t;
    if ((event == E::object_start || event == E::array_start) && depth >= kMaxJsonDepth) throw JsonTooDeepError();
    if (event == E::object_start) {
      scopes.emplace_back();
    } else if (event == E::object_end) {
      if (!scopes.empty()) scopes.pop_back();
    } else if (event == E::key) {
      const auto& key = parsed.template get_ref<const typename Json::string_t&>();
      if (!scopes.empty() && !scopes.back().insert(key).second) throw DuplicateKeyError(key);
    }
    return true;
  };
  return Json::parse(text.begin(), text.end(), callback);
}

}  // namespace genomamba::io::detail
