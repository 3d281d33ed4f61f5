#include "output/partial_h5_file.h"

#include <hdf5.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "core/error.h"
#include "core/system_error.h"
#include "output/hdf5_dataset.h"

namespace genomamba::output {

namespace fs = std::filesystem;

namespace {

// Why a file cannot be created, in words (HDF5's own cause, `hdf5_cause`, is the last resort).
std::string create_failure_reason(const fs::path& path, const fs::path& partial, const std::string& hdf5_cause) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return "it is a directory";
  const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec)) return "directory '" + parent.string() + "' does not exist";
  std::FILE* probe = std::fopen(partial.c_str(), "wb");
  if (!probe) return std::strerror(errno);
  std::fclose(probe);
  fs::remove(partial, ec);
  return hdf5_cause;
}

}  // namespace

PartialH5File::PartialH5File(const fs::path& path, const RootAttributes& attrs)
    : final_path_(path), partial_path_(fs::path(path) += ".partial") {
  h5::silence_errors();
  std::error_code ec;
  const bool is_directory = fs::is_directory(path, ec);
  const hid_t file = is_directory ? -1 : H5Fcreate(partial_path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0) {
    const int system_error = is_directory ? 0 : h5::last_error_errno();
    if (core::is_device_errno(system_error)) {  // a full disk: the machine's fault, and a job keeps its batches
      fs::remove(partial_path_, ec);                // what H5Fcreate made of it
      throw DeviceError(partial_path_.string() + ": cannot create output file: " + std::strerror(system_error));
    }
    const std::string cause = is_directory ? "it is a directory" : h5::last_error_cause();
    throw InputError(path.string() + ": cannot create output file (" +
                     create_failure_reason(path, partial_path_, cause) + ")");
  }
  file_ = h5::Handle(file, "create " + partial_path_.string());
  try {
    write_root_attributes(file_, attrs);
    h5::write_attribute(file_, "complete", int64_t{0});
  } catch (...) {
    h5::abandon_file(file_.get());
    file_ = h5::Handle();
    fs::remove(partial_path_, ec);
    throw;
  }
}

PartialH5File::~PartialH5File() {
  if (committed_) return;
  if (file_.valid()) h5::abandon_file(file_.get());  // it is deleted: nothing more needs to reach the disk
  file_ = h5::Handle();
  std::error_code ec;
  fs::remove(partial_path_, ec);
}

void PartialH5File::flush() { h5::check(H5Fflush(file_.get(), H5F_SCOPE_LOCAL), "write the file", file_.get()); }

void PartialH5File::commit() {
  GM_CHECK(!committed_, "commit() called twice");
  h5::write_attribute(file_, "complete", int64_t{1});
  file_.close();
  std::error_code ec;
  fs::rename(partial_path_, final_path_, ec);
  if (ec) {
    throw DeviceError(final_path_.string() + ": cannot rename " + partial_path_.string() + " to it: " + ec.message());
  }
  committed_ = true;
}

}  // namespace genomamba::output
