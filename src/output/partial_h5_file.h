#pragma once
/// An HDF5 output while it is being written (design §7: no output that looks complete before it is):
/// created as "<path>.partial" holding the root attributes and complete = 0; commit() sets complete = 1,
/// closes it and renames it to <path>; destroyed before commit(), it removes the partial file. Every
/// genomamba HDF5 writer owns one, declared before its datasets so that they close first.
#include <filesystem>

#include "output/hdf5_handle.h"
#include "output/root_attributes.h"

namespace genomamba::output {

class PartialH5File {
 public:
  /// @throws InputError "<path>: cannot create output file (<why>)" (a directory, a missing folder, no
  ///   permission, …).
  PartialH5File(const std::filesystem::path& path, const RootAttributes& attrs);
  ~PartialH5File();
  PartialH5File(const PartialH5File&) = delete;
  PartialH5File& operator=(const PartialH5File&) = delete;

  /// The open file, to create groups and datasets in.
  const h5::Handle& handle() const { return file_; }

  /// Flushes the file: after the datasets are created, the partial file is then valid HDF5 that says
  /// complete = 0.
  void flush();

  /// complete = 1, close and rename to the final path. The caller closes its datasets first.
  /// @throws DeviceError when HDF5 cannot write or the rename fails.
  void commit();

 private:
  std::filesystem::path final_path_;
  std::filesystem::path partial_path_;
  h5::Handle file_;
  bool committed_ = false;
};

}  // namespace genomamba::output
