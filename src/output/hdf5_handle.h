#pragma once
/// RAII ownership of HDF5 identifiers (hid_t) and the error policy of the HDF5 boundary.
/// HDF5 types stay out of this header: an identifier is carried as int64_t, which is what hid_t is
/// in HDF5 1.10 and later (checked by a static_assert in hdf5_handle.cpp).
#include <cstdint>
#include <string>

namespace genomamba::output::h5 {

/// An HDF5 identifier (hid_t).
using Id = int64_t;

/// Owns one HDF5 identifier of any kind (file, group, dataset, dataspace, datatype, attribute,
/// property list) and closes it with the matching H5*close on destruction. Move-only.
///
/// A dataset or writable file is flushed before it is closed. If the flush fails (a full disk, say), the
/// file is given up: its descriptor is pointed at an anonymous in-memory file, so that the close, which
/// writes the same buffers again, cannot fail. (HDF5 1.10 keeps a file whose close failed as a dangling
/// identifier and crashes on it at exit; a file that failed to write is only ever deleted.)
class Handle {
 public:
  Handle() = default;
  /// Takes ownership of `id`. @throws DeviceError "HDF5: cannot <what>" when `id` is negative.
  Handle(Id id, const std::string& what);
  ~Handle();
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  Id get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  /// Closes now (idempotent). @throws DeviceError "<file>: HDF5 cannot write <kind>: <cause>" when the
  /// buffered data cannot reach the disk (the cause is the system's, e.g. "No space left on device").
  void close();

 private:
  Id id_ = -1;
};

/// Turns off HDF5's automatic printing of its error stack (failures become exceptions instead).
/// Idempotent and cheap; every entry point of the output module calls it.
void silence_errors();

/// Throws DeviceError "HDF5: cannot <what>: <cause>" when an herr_t / htri_t result is negative.
void check(int status, const std::string& what);

/// Throws DeviceError "<file>: HDF5 cannot <what>: <cause>" when `status` is negative; the file is the one
/// `object` belongs to.
void check(int status, const std::string& what, Id object);

/// Why the HDF5 call that just failed failed: the system's error when a file driver reported one ("No
/// space left on device"), else HDF5's innermost message. Call it before any other HDF5 call.
std::string last_error_cause();

/// The system error (errno) behind the HDF5 call that just failed, or 0 when no file driver reported one.
int last_error_errno();

/// The name of the file that `object` belongs to, or "HDF5" when it has none.
std::string file_name(Id object);

/// Gives up the file that `object` belongs to before it is deleted: nothing HDF5 still buffers for it
/// will reach the disk, and closing it cannot fail.
void abandon_file(Id object);

}  // namespace genomamba::output::h5
