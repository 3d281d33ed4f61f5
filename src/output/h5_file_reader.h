#pragma once
/// The reading side shared by every genomamba HDF5 format (design §8): opens a file read-only, checks its
/// `format` attribute, and reads the root attributes back.
#include <cstdint>
#include <filesystem>
#include <string>

#include "output/hdf5_handle.h"
#include "output/root_attributes.h"

namespace genomamba::output {

class H5FileReader {
 public:
  /// Opens `path` read-only and checks that its `format` attribute is `format`.
  /// @throws InputError "<path>: not a <format> file (<why>)" when it is missing, not HDF5, or of
  /// another format.
  H5FileReader(const std::filesystem::path& path, const std::string& format);
  virtual ~H5FileReader() = default;
  H5FileReader(const H5FileReader&) = delete;
  H5FileReader& operator=(const H5FileReader&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// The root attribute complete == 1.
  bool complete() const;

  bool has_attribute(const std::string& name) const;
  /// A scalar string root attribute. @throws InputError naming the file when it is missing.
  std::string string_attribute(const std::string& name) const;
  /// A scalar int64 root attribute. @throws InputError naming the file when it is missing.
  int64_t int_attribute(const std::string& name) const;

  /// The root attributes: the standard fields, and every other scalar string / int attribute in `extra` /
  /// `extra_ints`, except `complete`.
  RootAttributes root_attributes() const;

 protected:
  /// "<path>: not a <format> file (" — the start of every "this is not our file" message.
  std::string not_ours_prefix() const;
  const h5::Handle& file() const { return file_; }

 private:
  std::filesystem::path path_;
  std::string format_;
  h5::Handle file_;
};

/// The `format` root attribute of a genomamba HDF5 file ("genomamba-embeddings", …).
/// @throws InputError "<path>: not a genomamba HDF5 file (…)" when it is missing, not HDF5 or has none.
std::string read_h5_format(const std::filesystem::path& path);

}  // namespace genomamba::output
