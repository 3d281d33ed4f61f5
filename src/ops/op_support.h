#pragma once
// Helpers of the op dispatchers (src/ops/<op>.cpp): the clear error for a device or dtype that the build or
// the op lacks. Internal to src/ops.
#include <initializer_list>
#include <type_traits>

#include "ops/exec_context.h"

namespace genomamba::ops::detail {

/// @throws ConfigError naming the op and dtype unless ctx.dtype is one of `supported`.
void require_dtype(const char* op, const ExecContext& ctx, std::initializer_list<core::DType> supported);

/// @throws ConfigError: `op` has no kernel for ctx.device in this build (names the device and whether the build
/// has CUDA at all).
[[noreturn]] void no_kernel(const char* op, const ExecContext& ctx);

/// Runs `cpu` or `cuda` (null: none in this build) on params.ctx.device; any other device is no_kernel's.
template <class Params>
using OpKernel = std::type_identity_t<void (*)(const Params&)>;  // not deduced: nullptr and overload sets convert

template <class Params>
void run_on_device(const char* op, const Params& params, OpKernel<Params> cpu, OpKernel<Params> cuda) {
  if (params.ctx.device.is_cpu()) return cpu(params);
  if (params.ctx.device.kind == core::DeviceKind::CUDA && cuda != nullptr) return cuda(params);
  no_kernel(op, params.ctx);
}

}  // namespace genomamba::ops::detail

/// The CUDA kernel of an op where the build has CUDA (kernels/), else nullptr: the one place the build switch
/// decides what an op can run on (the kernel's header is included under the same switch by ops/<op>.cpp).
#if GENOMAMBA_HAVE_CUDA
#define GM_CUDA_KERNEL(kernel) (&(kernel))
#else
#define GM_CUDA_KERNEL(kernel) nullptr
#endif
