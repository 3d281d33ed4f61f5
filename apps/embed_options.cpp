// `genomamba embed`: option checks that need no I/O, the input spec, the job signature and the root attributes.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/log.h"
#include "embed_internal.h"
#include "io/region.h"
#include "run_files.h"

namespace genomamba::apps::embed {

namespace fs = std::filesystem;

namespace {

// SAM flag names as samtools spells them (samtools flags, bam_str2flag).
constexpr std::pair<const char*, int> kFlagNames[] = {
    {"PAIRED", 0x1},   {"PROPER_PAIR", 0x2}, {"UNMAP", 0x4},     {"MUNMAP", 0x8},
    {"REVERSE", 0x10}, {"MREVERSE", 0x20},   {"READ1", 0x40},    {"READ2", 0x80},
    {"SECONDARY", 0x100}, {"QCFAIL", 0x200}, {"DUP", 0x400},     {"SUPPLEMENTARY", 0x800}};

// Returns the flag bits, or -1 when `text` is neither a number in 0..0xFFFF nor a list of flag names.
int parse_sam_flags(const std::string& text) {
  if (text.empty()) return -1;
  if (std::isdigit(static_cast<unsigned char>(text[0]))) {
    char* end = nullptr;
    const long value = std::strtol(text.c_str(), &end, 0);  // decimal, 0x hex (and 0 octal, as samtools)
    return *end == '\0' && value >= 0 && value <= 0xFFFF ? static_cast<int>(value) : -1;
  }
  int flags = 0;
  size_t begin = 0;
  while (begin <= text.size()) {
    const size_t comma = std::min(text.find(',', begin), text.size());
    std::string name = text.substr(begin, comma - begin);
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    int bit = -1;
    for (const auto& [known, value] : kFlagNames)
      if (name == known) bit = value;
    if (bit < 0) return -1;
    flags |= bit;
    begin = comma + 1;
  }
  return flags;
}

}  // namespace

CLI::Validator sam_flags() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        const int flags = parse_sam_flags(value);
        if (flags < 0) {
          return "value '" + value + "' must be a number in 0..0xFFFF (decimal or 0x hex) or comma-separated "
                 "flag names (e.g. SECONDARY,SUPPLEMENTARY)";
        }
        value = std::to_string(flags);
        return {};
      },
      "FLAGS");
}

EmbedOptions resolve_options(const EmbedOptions& options) {
  EmbedOptions o = options;
  resolve_job_options(o.job);
  if (o.window < 1) throw UsageError("--window " + std::to_string(o.window) + ": must be at least 1");
  if (o.stride == 0) o.stride = o.window;
  if (o.stride < 1) throw UsageError("--stride " + std::to_string(o.stride) + ": must be at least 1");
  if (o.job.batch < 1) throw UsageError("--batch " + std::to_string(o.job.batch) + ": must be at least 1");
  if (o.output == "-") {
    throw UsageError("-o -: embed writes HDF5, which cannot be streamed to standard output; give a file name "
                     "(e.g. -o out.h5)");
  }
  if (o.dtype != "f32" && !o.per_position) {
    throw UsageError("--dtype " + o.dtype + " applies to the per-base embeddings (--per-position); pooled "
                     "embeddings and logits are always float32");
  }
  if (o.stride > o.window) {
    log::warning("--stride " + std::to_string(o.stride) + " is longer than --window " + std::to_string(o.window) +
                 ": " + std::to_string(o.stride - o.window) + " bases after each window (except a record's last) "
                 "are not embedded");
  }
  if (o.pool == "none" && !o.per_position && !o.logits) {
    throw UsageError("--pool none leaves nothing to write: add --per-position and/or --logits");
  }
  if (o.input == "-" && (!o.regions.empty() || !o.bed.empty())) {
    throw UsageError("-r/-R: regions need an indexed input file; standard input ('-') cannot be read by region");
  }
  for (const std::string& text : o.regions) static_cast<void>(io::parse_region(text));  // ConfigError naming -r
  std::error_code ec;
  if (fs::is_directory(o.output, ec)) throw ConfigError(o.output + ": output path (-o) is a directory");
  std::vector<std::string> inputs = model_files(o.model_dir);
  for (const std::string& path : {o.input, o.bed, o.reference}) {
    for (std::string& file : with_companions(path)) inputs.push_back(std::move(file));
  }
  check_output_spares_inputs(o.output, inputs);
  return o;
}

io::InputSpec input_spec(const EmbedOptions& o) {
  io::InputSpec spec;
  spec.path = o.input;
  for (const std::string& text : o.regions) spec.regions.push_back(io::parse_region(text));
  if (!o.bed.empty()) {
    for (io::Region& region : io::read_bed(o.bed)) spec.regions.push_back(std::move(region));
  }
  spec.reference = o.reference;
  spec.exclude_flags = o.exclude_flags;
  spec.min_mapq = o.min_mapq;
  return spec;
}

std::string job_signature(const EmbedOptions& o, const std::string& model_sha256) {
  // One "key=value" line per option that changes the results; regions in canonical samtools form.
  std::string s = "genomamba-embeddings job 1\n";
  const auto add = [&s](const std::string& key, const std::string& value) { s += key + "=" + value + "\n"; };
  add("model_sha256", model_sha256);
  s += input_fingerprint("input", o.input);
  for (const std::string& text : o.regions) add("region", io::to_string(io::parse_region(text)));
  s += input_fingerprint("bed", o.bed);
  s += input_fingerprint("reference", o.reference);
  add("exclude_flags", std::to_string(o.exclude_flags));
  add("min_mapq", std::to_string(o.min_mapq));
  add("window", std::to_string(o.window));
  add("stride", std::to_string(o.stride));
  add("pool", o.pool);
  add("per_position", o.per_position ? "1" : "0");
  add("logits", o.logits ? "1" : "0");
  add("layer", std::to_string(o.layer));
  add("strand", o.strand);
  add("dtype", o.dtype);
  return s + run_signature(o.job);
}

output::RootAttributes root_attributes(const EmbedOptions& o, const std::string& model_sha256,
                                       const std::string& model_config, const std::string& model_kind) {
  output::RootAttributes a =
      base_root_attributes("genomamba-embeddings", o.job, o.model_dir, model_sha256, model_config, model_kind);
  a.strand = o.strand;
  a.window = o.window;
  a.stride = o.stride;
  a.dtype = o.dtype;
  a.input_paths = {absolute_path(o.input)};
  if (!o.reference.empty()) a.extra["reference_path"] = absolute_path(o.reference);
  return a;
}

}  // namespace genomamba::apps::embed
