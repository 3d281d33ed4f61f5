#pragma once
// Option checks and helpers shared by the subcommands (embed, score, ism, merge). Not a public API.
#include <cstdint>
#include <string>
#include <utility>

namespace CLI {
class Validator;
}  // namespace CLI

namespace genomamba::apps {

/// An integer option's lower bound, with a message that names the bound (CLI11's own prints DBL_MAX).
CLI::Validator at_least(long long minimum);
/// --shard: "i/N" with 0 <= i < N.
CLI::Validator shard_spec();
/// Parses --shard "i/N" (0-based i, 0 <= i < N). @throws ConfigError naming --shard.
std::pair<int64_t, int64_t> parse_shard(const std::string& text);

/// The output's folder must exist and be writable (checked before the input is read or the model loaded).
/// @throws InputError "<output>: cannot create output file: ..."
void check_output_writable(const std::string& output);

/// `path` made absolute and normal ("" and "-" unchanged): how input paths are recorded.
std::string absolute_path(const std::string& path);

}  // namespace genomamba::apps
