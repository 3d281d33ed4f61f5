#include "output/hdf5_handle.h"

#include <hdf5.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <utility>

#include "core/error.h"

namespace genomamba::output::h5 {

static_assert(std::is_same_v<hid_t, Id>, "hid_t must be int64_t (HDF5 >= 1.10)");

// HDF5's clean-up at exit is not installed (this runs before main, before the library starts). HDF5 1.10
// leaves a half-made file behind when H5Fcreate fails on a full disk, and its clean-up then loops ("infinite
// loop closing library") or crashes on such remains. Every identifier genomamba opens is closed by its
// Handle, so at exit that clean-up would only free memory.
[[maybe_unused]] const bool kNoCleanupAtExit = H5dont_atexit() >= 0;

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

// Whether the file that `object` belongs to was opened for writing.
bool in_writable_file(hid_t object) {
  const hid_t file = H5Iget_file_id(object);
  if (file < 0) return false;
  unsigned intent = 0;
  const bool writable = H5Fget_intent(file, &intent) >= 0 && (intent & H5F_ACC_RDWR) != 0;
  H5Fclose(file);  // a second identifier only: `object` keeps the file open
  return writable;
}

}  // namespace

// Points the file's descriptor at an anonymous in-memory file: whatever HDF5 writes to it from now on
// succeeds and is dropped (sec2, the default driver, only).
void abandon_file(Id object) {
  const hid_t file = H5Iget_file_id(object);
  if (file < 0) return;
  const hid_t access = H5Fget_access_plist(file);
  void* handle = nullptr;
  if (access >= 0 && H5Pget_driver(access) == H5FD_SEC2 && H5Fget_vfd_handle(file, access, &handle) >= 0 && handle) {
    const int memory = ::memfd_create("genomamba-abandoned-hdf5", MFD_CLOEXEC);
    if (memory >= 0) {
      ::dup3(memory, *static_cast<int*>(handle), O_CLOEXEC);
      ::close(memory);
    }
  }
  if (access >= 0) H5Pclose(access);
  H5Fclose(file);
}

namespace {

std::string object_name(hid_t id) {
  const ssize_t size = H5Iget_name(id, nullptr, 0);
  if (size <= 0) return "";
  std::string name(static_cast<size_t>(size) + 1, '\0');
  H5Iget_name(id, name.data(), name.size());
  name.resize(static_cast<size_t>(size));
  return name;
}

// Closes `id`: "" when that went well, else why not. A dataset or writable file is flushed first; when
// that fails the file is abandoned, so the close itself cannot fail and no dangling identifier is left.
std::string close_safely(hid_t id) {
  const H5I_type_t type = H5Iget_type(id);
  const bool buffered = (type == H5I_DATASET || type == H5I_FILE) && in_writable_file(id);
  std::string failure;
  if (buffered && (type == H5I_DATASET ? H5Dflush(id) : H5Fflush(id, H5F_SCOPE_LOCAL)) < 0) {
    const std::string cause = last_error_cause();
    failure = file_name(id) + ": HDF5 cannot write " +
              (type == H5I_DATASET ? "dataset '" + object_name(id) + "'" : std::string("the file")) + ": " + cause;
    abandon_file(id);
  }
  if (close_id(id) < 0 && failure.empty()) failure = "HDF5: cannot close an object: " + last_error_cause();
  return failure;
}

struct ErrorWalk {
  int system_errno = 0;
  std::string innermost;
};

herr_t visit_error(unsigned n, const H5E_error2_t* error, void* data) {
  auto* walk = static_cast<ErrorWalk*>(data);
  if (error->desc == nullptr) return 0;
  if (n == 0) walk->innermost = error->desc;
  // The sec2 driver's message: "file write failed: ..., errno = 28, error message = '...', ..."
  const char* found = std::strstr(error->desc, "errno = ");
  if (walk->system_errno == 0 && found != nullptr) walk->system_errno = std::atoi(found + 8);
  return 0;
}

}  // namespace

Handle::Handle(Id id, const std::string& what) : id_(id) {
  if (id_ < 0) throw DeviceError("HDF5: cannot " + what + ": " + last_error_cause());
}

Handle::~Handle() {
  if (id_ < 0) return;
  try {
    close_safely(id_);  // errors at destruction cannot be reported; close() reports them
  } catch (...) {
  }
}

Handle::Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, -1)) {}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    if (id_ >= 0) {
      try {
        close_safely(id_);
      } catch (...) {
      }
    }
    id_ = std::exchange(other.id_, -1);
  }
  return *this;
}

void Handle::close() {
  if (id_ < 0) return;
  const std::string failure = close_safely(std::exchange(id_, -1));
  if (!failure.empty()) throw DeviceError(failure);
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
  if (status < 0) throw DeviceError("HDF5: cannot " + what + ": " + last_error_cause());
}

void check(int status, const std::string& what, Id object) {
  if (status >= 0) return;
  const std::string cause = last_error_cause();
  throw DeviceError(file_name(object) + ": HDF5 cannot " + what + ": " + cause);
}

std::string last_error_cause() {
  ErrorWalk walk;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, visit_error, &walk);
  if (walk.system_errno > 0) return std::strerror(walk.system_errno);
  return walk.innermost.empty() ? std::string("unknown error") : walk.innermost;
}

int last_error_errno() {
  ErrorWalk walk;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, visit_error, &walk);
  return walk.system_errno;
}

std::string file_name(Id object) {
  const ssize_t size = H5Fget_name(object, nullptr, 0);
  if (size <= 0) return "HDF5";
  std::string name(static_cast<size_t>(size) + 1, '\0');
  H5Fget_name(object, name.data(), name.size());
  name.resize(static_cast<size_t>(size));
  return name;
}

}  // namespace genomamba::output::h5
