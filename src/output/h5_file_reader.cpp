#include "output/h5_file_reader.h"

#include <array>
#include <utility>
#include <vector>

#include "core/error.h"
#include "output/hdf5_read.h"

namespace genomamba::output {

namespace fs = std::filesystem;

H5FileReader::H5FileReader(const fs::path& path, const std::string& format) : path_(path), format_(format) {
  file_ = h5::open_file_readonly(path);
  const std::string prefix = not_ours_prefix();
  if (!file_.valid()) {
    std::error_code ec;
    throw InputError(prefix + (fs::exists(path, ec) ? "not an HDF5 file)" : "no such file)"));
  }
  if (!h5::has_attribute(file_, "format") || h5::attribute_kind(file_, "format") != h5::AttributeKind::STRING) {
    throw InputError(prefix + "no 'format' attribute)");
  }
  const std::string found = h5::read_string_attribute(file_, "format");
  if (found != format) throw InputError(prefix + "format is '" + found + "')");
}

std::string read_h5_format(const fs::path& path) {
  const h5::Handle file = h5::open_file_readonly(path);
  const std::string prefix = path.string() + ": not a genomamba HDF5 file (";
  if (!file.valid()) {
    std::error_code ec;
    throw InputError(prefix + (fs::exists(path, ec) ? "not an HDF5 file)" : "no such file)"));
  }
  if (!h5::has_attribute(file, "format") || h5::attribute_kind(file, "format") != h5::AttributeKind::STRING) {
    throw InputError(prefix + "no 'format' attribute)");
  }
  return h5::read_string_attribute(file, "format");
}

std::string H5FileReader::not_ours_prefix() const {
  return path_.string() + ": not a " + format_ + " file (";
}

bool H5FileReader::complete() const {
  return h5::has_attribute(file_, "complete") &&
         h5::attribute_kind(file_, "complete") == h5::AttributeKind::INT &&
         h5::read_int_attribute(file_, "complete") == 1;
}

bool H5FileReader::has_attribute(const std::string& name) const { return h5::has_attribute(file_, name); }

std::string H5FileReader::string_attribute(const std::string& name) const {
  if (!has_attribute(name) || h5::attribute_kind(file_, name) != h5::AttributeKind::STRING) {
    throw InputError(path_.string() + ": no string attribute '" + name + "'");
  }
  return h5::read_string_attribute(file_, name);
}

int64_t H5FileReader::int_attribute(const std::string& name) const {
  if (!has_attribute(name) || h5::attribute_kind(file_, name) != h5::AttributeKind::INT) {
    throw InputError(path_.string() + ": no integer attribute '" + name + "'");
  }
  return h5::read_int_attribute(file_, name);
}

RootAttributes H5FileReader::root_attributes() const {
  RootAttributes a;
  for (const std::string& name : h5::attribute_names(file_)) {
    const h5::AttributeKind kind = h5::attribute_kind(file_, name);
    if (name == "complete") continue;
    if (name == "input_paths") {
      if (kind == h5::AttributeKind::STRING_ARRAY) a.input_paths = h5::read_string_array_attribute(file_, name);
      continue;
    }
    if (kind == h5::AttributeKind::INT) {
      const int64_t value = h5::read_int_attribute(file_, name);
      if (name == "format_version") a.format_version = value;
      else if (name == "window") a.window = value;
      else if (name == "stride") a.stride = value;
      else a.extra_ints[name] = value;
      continue;
    }
    if (kind != h5::AttributeKind::STRING) continue;
    std::string value = h5::read_string_attribute(file_, name);
    static const std::array<std::pair<const char*, std::string RootAttributes::*>, 10> kStrings = {{
        {"format", &RootAttributes::format},
        {"genomamba_version", &RootAttributes::genomamba_version},
        {"command_line", &RootAttributes::command_line},
        {"model_path", &RootAttributes::model_path},
        {"model_sha256", &RootAttributes::model_sha256},
        {"model_config", &RootAttributes::model_config},
        {"model_kind", &RootAttributes::model_kind},
        {"strand", &RootAttributes::strand},
        {"dtype", &RootAttributes::dtype},
        {"created", &RootAttributes::created},
    }};
    bool standard = false;
    for (const auto& [key, member] : kStrings) {
      if (name == key) {
        a.*member = std::move(value);
        standard = true;
        break;
      }
    }
    if (!standard) a.extra[name] = std::move(value);
  }
  return a;
}

}  // namespace genomamba::output
