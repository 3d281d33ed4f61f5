#include "output/hdf5_handle.h"

#include <hdf5.h>

#include <type_traits>
#include <utility>

#include "core/error.h"

namespace genomamba::output::h5 {

static_assert(std::is_same_v<hid_t, Id>, "hid_t must be int64_t (HDF5 >= 1.10)");

namespace {

// The close function of each kind of identifier; H5Iget_type tells them apart.
herr_t close_id(hid_t id) {
  switch (H5Iget_type(id)) {
    case H5I_FILE: return H5Fclose(id);
    case H5I_GROUP: return H5Gclose(id);
    case H5I_DATASET: return H5Dclose(id);
    case H5I_DATASPACE: return H5Sclose(id);
    case H5I_DATATYPE: return H5Tclose(id);
    case H5I_ATTR: return H5Aclose(id);
    case H5I_GENPROP_LST: return H5Pclose(id);
    default: return H5Idec_ref(id) < 0 ? -1 : 0;
  }
}

}  // namespace

Handle::Handle(Id id, const std::string& what) : id_(id) {
  if (id_ < 0) throw DeviceError("HDF5: cannot " + what);
}

Handle::~Handle() {
  if (id_ >= 0) close_id(id_);  // errors at destruction cannot be reported; close() reports them
}

Handle::Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, -1)) {}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    if (id_ >= 0) close_id(id_);
    id_ = std::exchange(other.id_, -1);
  }
  return *this;
}

void Handle::close() {
  if (id_ < 0) return;
  const bool is_file = H5Iget_type(id_) == H5I_FILE;
  const herr_t status = close_id(std::exchange(id_, -1));
  check(status, is_file ? "close file" : "close object");
}

void silence_errors() {
  // Debian's libhdf5 is built thread-safe, and then the automatic error printing is a per-thread setting:
  // the pipeline's writer thread needs its own call.
  thread_local bool silenced = false;
  if (!silenced) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    silenced = true;
  }
}

void check(int status, const std::string& what) {
  if (status < 0) throw DeviceError("HDF5: cannot " + what);
}

}  // namespace genomamba::output::h5
