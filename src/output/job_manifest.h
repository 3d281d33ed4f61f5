#pragma once
/// The manifest of a Job's batch folder ("job.json"): what the batches belong to, so that a resumed run
/// can refuse a folder of another job. Also the small durable-file helpers the job uses.
#include <cstdint>
#include <filesystem>
#include <string>

namespace genomamba::output::detail {

/// Contents of job.json.
struct JobManifest {
  std::string signature;
  int64_t shard_index = 0;
  int64_t shard_count = 1;
  std::string model_sha256;
  std::string format;      ///< JobFormat::format()
  std::string layout_key;  ///< JobFormat::layout_key()
};

/// "i/N", e.g. "0/3"; an unsharded job is "0/1".
std::string shard_text(int64_t shard_index, int64_t shard_count);

/// Parses "i/N" (0 <= i < N); false when `text` is not of that form.
bool parse_shard_text(const std::string& text, int64_t& shard_index, int64_t& shard_count);

/// Writes `manifest` as JSON to `path` through "<path>.tmp", fsync and rename.
void write_manifest(const std::filesystem::path& path, const JobManifest& manifest);
/// @throws InputError "<path>: …" when it cannot be read or is not a job manifest.
JobManifest read_manifest(const std::filesystem::path& path);

/// What differs between the job in a batch folder (`was`) and the job being run (`now`), in words
/// ("the shard (0/3 here, 1/3 now); the model (sha256 …)"); empty when they are the same job.
std::string describe_differences(const JobManifest& was, const JobManifest& now);

/// The differing "key=value" lines of two job signatures, in words: "window '64' <was_label>, '60'
/// <now_label>" (or the first differing excerpt when they are not line-based).
std::string describe_signature_difference(const std::string& was, const std::string& now, const std::string& was_label,
                                          const std::string& now_label);

/// A job signature without its "<key>_path=" and "<key>_mtime=" lines: what the shards of one job must share
/// (each shard may read its own copy of an input, in its own folder with its own modification time, as
/// workflow managers stage inputs, but never different content).
std::string content_signature(const std::string& signature);

/// fsync of a file or a directory (so that a rename into it survives a power loss).
/// @throws DeviceError naming the path on failure.
void sync_path(const std::filesystem::path& path);
/// Renames `from` to `to` and syncs the parent folder of `to`. @throws DeviceError naming both.
void durable_rename(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace genomamba::output::detail
