// The files a run reads kept apart from the files it writes, and the fingerprint of an input for the job
// signature.
#include "run_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "model/sha256.h"

namespace genomamba::apps {

namespace fs = std::filesystem;

namespace {

// Index and companion suffixes that HTSlib (hts_idx_load, fai_load, bgzf_index_load) looks for.
constexpr std::array<const char*, 6> kCompanionSuffixes = {".fai", ".gzi", ".bai", ".csi", ".crai", ".tbi"};

// What the job writes next to OUT (output/job.cpp, output/partial_h5_file.cpp, the VCF/TSV writers).
constexpr std::array<const char*, 5> kOutputSiblings = {"", ".partial", ".partial.d", ".lock", ".tmp"};

// Files up to this size are hashed whole; larger ones by their first and last kEdgeBytes.
constexpr int64_t kWholeHashLimit = int64_t{64} << 20;
constexpr int64_t kEdgeBytes = int64_t{1} << 20;

// Both paths name the same file: lexically (absolute, normal), through symbolic links (weakly canonical,
// which also covers a file that does not exist yet), or through hard links (same inode).
bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::absolute(a, ec).lexically_normal() == fs::absolute(b, ec).lexically_normal()) return true;
  const fs::path ca = fs::weakly_canonical(a, ec);
  if (!ec) {
    const fs::path cb = fs::weakly_canonical(b, ec);
    if (!ec && ca == cb) return true;
  }
  return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

void hash_range(model::Sha256& hash, std::ifstream& in, int64_t offset, int64_t length, const std::string& path) {
  std::vector<char> buffer(static_cast<size_t>(std::min<int64_t>(length, int64_t{1} << 20)));
  in.seekg(offset);
  while (length > 0) {
    const auto want = static_cast<std::streamsize>(std::min<int64_t>(length, static_cast<int64_t>(buffer.size())));
    in.read(buffer.data(), want);
    if (in.gcount() != want) throw InputError(path + ": cannot read (it changed while being read?)");
    hash.update(std::span<const std::byte>(reinterpret_cast<const std::byte*>(buffer.data()), static_cast<size_t>(want)));
    length -= want;
  }
}

}  // namespace

std::vector<std::string> with_companions(const std::string& path) {
  if (path.empty() || path == "-") return {};
  std::vector<std::string> files{path};
  for (const char* suffix : kCompanionSuffixes) files.push_back(path + suffix);
  const fs::path p(path);
  if (p.extension() == ".bam" || p.extension() == ".cram") {
    files.push_back(fs::path(p).replace_extension(p.extension() == ".bam" ? ".bai" : ".crai").string());
  }
  return files;
}

std::vector<std::string> model_files(const std::string& model_dir) {
  return {(fs::path(model_dir) / "config.json").string(), (fs::path(model_dir) / "model.safetensors").string()};
}

void check_output_spares_inputs(const std::string& output, const std::vector<std::string>& inputs) {
  if (output.empty() || output == "-") return;
  for (const char* sibling : kOutputSiblings) {
    const fs::path written = output + sibling;
    for (const std::string& input : inputs) {
      if (input.empty() || input == "-" || !same_file(written, input)) continue;
      const std::string what = written == fs::path(output) ? std::string("output (-o)")
                                                           : "the output's working file " + written.string();
      throw ConfigError(output + ": " + what + " would overwrite " + input + ", an input of this run; choose "
                        "another -o");
    }
  }
}

std::string input_fingerprint(const std::string& key, const std::string& path) {
  if (path.empty()) return key + "=\n";
  if (path == "-") return key + "=-\n";
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw InputError(path + ": cannot read: it does not exist");
  const int64_t size = st.st_size;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open for reading");
  model::Sha256 hash;
  if (!S_ISREG(st.st_mode)) {
    // A pipe or device: nothing to hash without consuming it.
  } else if (size <= kWholeHashLimit) {
    hash_range(hash, in, 0, size, path);
  } else {
    hash_range(hash, in, 0, kEdgeBytes, path);
    hash_range(hash, in, size - kEdgeBytes, kEdgeBytes, path);
  }
  const int64_t mtime_ns = int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
  // The path with its links resolved (a resume must read the same file; merge leaves the path out).
  std::error_code ec;
  fs::path resolved = fs::canonical(path, ec);
  if (ec) resolved = fs::absolute(path).lexically_normal();
  return key + "_path=" + resolved.string() + "\n" + key + "_size=" + std::to_string(size) +
         "\n" + key + "_sha256" + (size <= kWholeHashLimit ? "" : "_edges") + "=" + hash.hex_digest() + "\n" + key +
         "_mtime=" + std::to_string(mtime_ns) + "\n";
}

}  // namespace genomamba::apps
