#include "output/root_attributes.h"

#include <array>
#include <chrono>
#include <ctime>

#include "core/error.h"
#include "output/hdf5_dataset.h"

namespace genomamba::output {

void write_root_attributes(const h5::Handle& loc, const RootAttributes& attrs) {
  static constexpr std::array kStandard = {"format", "format_version", "genomamba_version", "command_line",
                                           "model_path", "model_sha256", "model_config", "model_kind",
                                           "strand", "window", "stride", "dtype", "created", "complete",
                                           "input_paths"};
  for (const auto& [name, value] : attrs.extra) {
    for (const char* standard : kStandard) {
      GM_CHECK(name != standard, "extra root attribute '" + name + "' collides with a standard attribute");
    }
  }
  for (const auto& [name, value] : attrs.extra_ints) {
    for (const char* standard : kStandard) {
      GM_CHECK(name != standard, "extra root attribute '" + name + "' collides with a standard attribute");
    }
    GM_CHECK(!attrs.extra.count(name), "root attribute '" + name + "' is both a string and an int extra");
  }
  h5::write_attribute(loc, "format", attrs.format);
  h5::write_attribute(loc, "format_version", attrs.format_version);
  h5::write_attribute(loc, "genomamba_version", attrs.genomamba_version);
  h5::write_attribute(loc, "command_line", attrs.command_line);
  h5::write_attribute(loc, "model_path", attrs.model_path);
  h5::write_attribute(loc, "model_sha256", attrs.model_sha256);
  h5::write_attribute(loc, "model_config", attrs.model_config);
  h5::write_attribute(loc, "model_kind", attrs.model_kind);
  h5::write_attribute(loc, "strand", attrs.strand);
  h5::write_attribute(loc, "window", attrs.window);
  h5::write_attribute(loc, "stride", attrs.stride);
  h5::write_attribute(loc, "dtype", attrs.dtype);
  h5::write_attribute(loc, "created", attrs.created);
  h5::write_attribute(loc, "input_paths", attrs.input_paths);
  for (const auto& [name, value] : attrs.extra) h5::write_attribute(loc, name, value);
  for (const auto& [name, value] : attrs.extra_ints) h5::write_attribute(loc, name, value);
}

std::string iso8601_utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace genomamba::output
