#pragma once
// Helpers of the op dispatchers (src/ops/<op>.cpp): the clear error for a device or dtype that the build or
// the op lacks. Internal to src/ops.
#include <initializer_list>

#include "ops/exec_context.h"

namespace genomamba::ops::detail {

/// @throws ConfigError naming the op and dtype unless ctx.dtype is one of `supported`.
void require_dtype(const char* op, const ExecContext& ctx, std::initializer_list<core::DType> supported);

/// @throws ConfigError: `op` has no kernel for ctx.device in this build (names the device and whether the build
/// has CUDA at all).
[[noreturn]] void no_kernel(const char* op, const ExecContext& ctx);

}  // namespace genomamba::ops::detail
