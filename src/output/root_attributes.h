#pragma once
/// The root attributes every genomamba HDF5 file carries (design §8).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace genomamba::output {

struct RootAttributes {
  std::string format;             ///< "genomamba-embeddings" | "genomamba-variant-scores" | "genomamba-ism"
  int64_t format_version = 1;
  std::string genomamba_version;  ///< "0.1.0 (git abc123)"
  std::string command_line;
  std::string model_path;
  std::string model_sha256;
  std::string model_config;       ///< config.json text
  std::string model_kind;         ///< "caduceus-ph" | "caduceus-ps"
  std::string strand;             ///< "fwd" | "both"
  int64_t window = 0;
  int64_t stride = 0;
  std::string dtype;              ///< "f32" | "f16"
  std::string created;            ///< ISO 8601 UTC
  std::vector<std::string> input_paths;
  /// Extra string attributes (e.g. "reference_path"), written as given.
  std::map<std::string, std::string> extra;
  /// Extra int64 attributes (e.g. "n_rows_total"), written as given.
  std::map<std::string, int64_t> extra_ints;
};

namespace h5 {
class Handle;
}  // namespace h5

/// Writes every field of `attrs` as an attribute of `loc` (the file's root group): strings as scalar
/// variable-length UTF-8, integers as int64, `input_paths` as a 1-D string array, each `extra` entry as
/// a string attribute of that name and each `extra_ints` entry as an int64 attribute. `complete` is not
/// among them: the writer of the file owns it.
/// @throws InternalError if an `extra` name collides with a standard attribute; DeviceError on HDF5 failure.
void write_root_attributes(const h5::Handle& loc, const RootAttributes& attrs);

/// Current time as ISO 8601 UTC, e.g. "2026-11-23T04:00:00Z".
std::string iso8601_utc_now();

}  // namespace genomamba::output
