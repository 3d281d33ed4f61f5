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
  /// Closes now (idempotent). @throws DeviceError "HDF5: cannot close <kind>" when HDF5 reports a failure
  /// (for a file this is where buffered data reaches the disk).
  void close();

 private:
  Id id_ = -1;
};

/// Turns off HDF5's automatic printing of its error stack (failures become exceptions instead).
/// Idempotent and cheap; every entry point of the output module calls it.
void silence_errors();

/// Throws DeviceError "HDF5: cannot <what>" when an herr_t / htri_t result is negative.
void check(int status, const std::string& what);

}  // namespace genomamba::output::h5
