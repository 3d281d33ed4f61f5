#pragma once
/// What op calls on one device share for a run: on a GPU the cuBLAS handle (with its workspace, a region the
/// caller gives, so the memory plan counts it) on the default stream; on the CPU nothing. An engine owns one and
/// hands context() to every op call.
#include <cstddef>

#include "ops/exec_context.h"

namespace genomamba::ops {

class DeviceContext {
 public:
  /// The bytes of device memory the context wants as its BLAS workspace on `device` (0 on the CPU).
  static size_t blas_workspace_bytes(core::Device device);

  /// @param blas_workspace blas_workspace_bytes(device) bytes of memory of `device` (null on the CPU).
  /// @throws ConfigError for a CUDA device in a build without CUDA; DeviceError when cuBLAS cannot start.
  DeviceContext(core::Device device, core::DType dtype, void* blas_workspace);
  ~DeviceContext();
  DeviceContext(const DeviceContext&) = delete;
  DeviceContext& operator=(const DeviceContext&) = delete;

  /// The execution context of an op call on this device (no workspace of its own: ops that need one get it from
  /// the caller).
  const ExecContext& context() const { return ctx_; }

 private:
  ExecContext ctx_;
};

}  // namespace genomamba::ops
