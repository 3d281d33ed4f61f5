#include "output/job_manifest.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>

#include "core/error.h"

namespace genomamba::output::detail {

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

constexpr const char* kManifestFormat = "genomamba-job";
constexpr int64_t kManifestVersion = 2;

// A signature of "key=value" lines (what `embed` writes) is compared key by key: "window 64 here, 60
// now". Anything else is shown by its first difference, on one line.
std::map<std::string, std::string> signature_fields(const std::string& signature) {
  std::map<std::string, std::string> fields;
  size_t begin = 0;
  while (begin < signature.size()) {
    size_t end = signature.find('\n', begin);
    if (end == std::string::npos) end = signature.size();
    const std::string line = signature.substr(begin, end - begin);
    const size_t equals = line.find('=');
    if (!line.empty()) fields[line.substr(0, equals)] = equals == std::string::npos ? "" : line.substr(equals + 1);
    begin = end + 1;
  }
  return fields;
}

/// Where a copy of an input lies and when it was written: part of a job's identity for --resume, not for merge.
bool is_location_key(const std::string& key) {
  for (const std::string_view suffix : {std::string_view("_mtime"), std::string_view("_path")}) {
    if (key.size() >= suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0) return true;
  }
  return false;
}

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

}  // namespace

std::string shard_text(int64_t shard_index, int64_t shard_count) {
  return std::to_string(shard_index) + "/" + std::to_string(shard_count);
}

bool parse_shard_text(const std::string& text, int64_t& shard_index, int64_t& shard_count) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) return false;
  const std::string index = text.substr(0, slash), count = text.substr(slash + 1);
  auto digits = [](const std::string& s) { return s.size() <= 12 && s.find_first_not_of("0123456789") == std::string::npos; };
  if (!digits(index) || !digits(count)) return false;
  shard_index = std::stoll(index);
  shard_count = std::stoll(count);
  return shard_count >= 1 && shard_index < shard_count;
}

void write_manifest(const fs::path& path, const JobManifest& m) {
  Json j;
  j["format"] = kManifestFormat;
  j["format_version"] = kManifestVersion;
  j["signature"] = m.signature;
  j["shard_index"] = m.shard_index;
  j["shard_count"] = m.shard_count;
  j["model_sha256"] = m.model_sha256;
  j["output_format"] = m.format;
  j["layout"] = m.layout_key;
  fs::path temp = path;
  temp += ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << j.dump(2) << '\n';
    out.close();
    if (!out) {
      const int error = errno;  // a full disk shows at close, when the buffer is written
      std::error_code ec;
      fs::remove(temp, ec);
      throw DeviceError(temp.string() + ": cannot write the job manifest: " +
                        (error != 0 ? std::strerror(error) : "write failed"));
    }
  }
  sync_path(temp);
  durable_rename(temp, path);
}

JobManifest read_manifest(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot read the job manifest");
  std::stringstream text;
  text << in.rdbuf();
  JobManifest m;
  try {
    const Json j = Json::parse(text.str());
    if (j.at("format").get<std::string>() != kManifestFormat) throw InputError(path.string() + ": not a job manifest");
    if (j.at("format_version").get<int64_t>() != kManifestVersion) {
      throw InputError(path.string() + ": unsupported job manifest version");
    }
    m.signature = j.at("signature").get<std::string>();
    m.shard_index = j.at("shard_index").get<int64_t>();
    m.shard_count = j.at("shard_count").get<int64_t>();
    m.model_sha256 = j.at("model_sha256").get<std::string>();
    m.format = j.at("output_format").get<std::string>();
    m.layout_key = j.at("layout").get<std::string>();
  } catch (const Json::exception& e) {
    throw InputError(path.string() + ": damaged job manifest (" + e.what() + ")");
  }
  return m;
}

std::string describe_differences(const JobManifest& was, const JobManifest& now) {
  std::string text;
  auto add = [&text](const std::string& item) { text += (text.empty() ? "" : "; ") + item; };
  if (was.shard_index != now.shard_index || was.shard_count != now.shard_count) {
    add("the shard (" + shard_text(was.shard_index, was.shard_count) + " here, " +
        shard_text(now.shard_index, now.shard_count) + " now)");
  }
  if (was.model_sha256 != now.model_sha256) {
    add("the model (sha256 " + was.model_sha256.substr(0, 12) + "… here, " + now.model_sha256.substr(0, 12) +
        "… now)");
  }
  if (was.signature != now.signature) {
    add("the options or inputs (" + describe_signature_difference(was.signature, now.signature, "here", "now") + ")");
  }
  if (was.format != now.format) add("the output format (" + was.format + " here, " + now.format + " now)");
  else if (was.layout_key != now.layout_key) {
    add("the output layout (" + was.layout_key + " here, " + now.layout_key + " now)");
  }
  return text;
}

std::string describe_signature_difference(const std::string& was, const std::string& now, const std::string& was_label,
                                          const std::string& now_label) {
  const bool lines = was.find('\n') != std::string::npos && now.find('\n') != std::string::npos;
  const auto a = lines ? signature_fields(was) : std::map<std::string, std::string>();
  const auto b = lines ? signature_fields(now) : std::map<std::string, std::string>();
  std::string text;
  auto value = [](const std::map<std::string, std::string>& m, const std::string& key) {
    const auto it = m.find(key);
    return it == m.end() ? std::string("(none)") : "'" + it->second + "'";
  };
  std::map<std::string, std::string> keys = a;
  keys.insert(b.begin(), b.end());
  for (const auto& [key, unused] : keys) {
    if (a.count(key) && b.count(key) && a.at(key) == b.at(key)) continue;
    if (!text.empty()) text += ", ";
    text += key;
    text += " ";
    text += value(a, key);
    text += " " + was_label + ", ";
    text += value(b, key);
    text += " " + now_label;
  }
  if (!text.empty()) return one_line(text);
  size_t i = 0;
  while (i < was.size() && i < now.size() && was[i] == now[i]) ++i;
  const size_t from = i > 20 ? i - 20 : 0;
  auto excerpt = [from](const std::string& s) {
    std::string part = from > 0 ? "…" : "";
    part.append(s, std::min(from, s.size()), 60);
    if (from + 60 < s.size()) part += "…";
    return part;
  };
  text = "job signature '";
  text += excerpt(was);
  text += "' " + was_label + ", '";
  text += excerpt(now);
  text += "' " + now_label;
  return one_line(text);
}

std::string content_signature(const std::string& signature) {
  std::string kept;
  size_t begin = 0;
  while (begin < signature.size()) {
    size_t end = signature.find('\n', begin);
    end = end == std::string::npos ? signature.size() : end + 1;
    const std::string line = signature.substr(begin, end - begin);
    if (!is_location_key(line.substr(0, line.find('=')))) kept += line;
    begin = end;
  }
  return kept;
}

void sync_path(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw DeviceError(path.string() + ": cannot open to sync: " + std::strerror(errno));
  const int status = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  // Some file systems cannot fsync a directory (EINVAL); the rename is still atomic there.
  if (status != 0 && saved != EINVAL) throw DeviceError(path.string() + ": cannot sync: " + std::strerror(saved));
}

void durable_rename(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) throw DeviceError(to.string() + ": cannot rename " + from.string() + " to it: " + ec.message());
  sync_path(to.has_parent_path() ? to.parent_path() : fs::path("."));
}

}  // namespace genomamba::output::detail
