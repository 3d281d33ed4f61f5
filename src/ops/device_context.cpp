#include "ops/device_context.h"

#include "core/error.h"

#if GENOMAMBA_HAVE_CUDA
#include "linear.cuh"  // kernels/: the cuBLAS handle
#endif

namespace genomamba::ops {

// cuBLAS asks for 32 MiB of workspace on Hopper (its documentation's recommendation for sm_90; less elsewhere).
size_t DeviceContext::blas_workspace_bytes(core::Device device) { return device.is_cpu() ? 0 : size_t{32} << 20; }

DeviceContext::DeviceContext(core::Device device, core::DType dtype, void* blas_workspace) {
  ctx_.device = device;
  ctx_.dtype = dtype;
  if (device.is_cpu()) return;
#if GENOMAMBA_HAVE_CUDA
  ctx_.blas = cuda::create_blas_handle(device.index, ctx_.stream, blas_workspace, blas_workspace_bytes(device));
#else
  (void)blas_workspace;
  throw ConfigError("device " + device.name() + " cannot be used: this genomamba was built without CUDA");
#endif
}

DeviceContext::~DeviceContext() {
#if GENOMAMBA_HAVE_CUDA
  cuda::destroy_blas_handle(ctx_.blas);
#endif
}

}  // namespace genomamba::ops
