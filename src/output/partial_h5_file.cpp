#include "output/partial_h5_file.h"

#include <hdf5.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "core/error.h"
#include "output/hdf5_dataset.h"

namespace genomamba::output {

namespace fs = std::filesystem;

namespace {

// Why a file cannot be created, in words (HDF5 only says that it failed).
std::string create_failure_reason(const fs::path& path, const fs::path& partial) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return "it is a directory";
  const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec)) return "directory '" + parent.string() + "' does not exist";
  std::FILE* probe = std::fopen(partial.c_str(), "wb");
  if (!probe) return std::strerror(errno);
  std::fclose(probe);
  fs::remove(partial, ec);
  return "HDF5 could not create it";
}

}  // namespace

PartialH5File::PartialH5File(const fs::path& path, const RootAttributes& attrs)
    : final_path_(path), partial_path_(fs::path(path) += ".partial") {
  h5::silence_errors();
  std::error_code ec;
  const hid_t file =
      fs::is_directory(path, ec) ? -1 : H5Fcreate(partial_path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0) {
    throw InputError(path.string() + ": cannot create output file (" + create_failure_reason(path, partial_path_) + ")");
  }
  file_ = h5::Handle(file, "create " + partial_path_.string());
  try {
    write_root_attributes(file_, attrs);
    h5::write_attribute(file_, "complete", int64_t{0});
  } catch (...) {
    file_ = h5::Handle();
    fs::remove(partial_path_, ec);
    throw;
  }
}

PartialH5File::~PartialH5File() {
  if (committed_) return;
  file_ = h5::Handle();
  std::error_code ec;
  fs::remove(partial_path_, ec);
}

void PartialH5File::flush() { h5::check(H5Fflush(file_.get(), H5F_SCOPE_LOCAL), "flush " + partial_path_.string()); }

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
