#include "ops/op_support.h"

#include <string>

#include "core/error.h"

namespace genomamba::ops::detail {

void require_dtype(const char* op, const ExecContext& ctx, std::initializer_list<core::DType> supported) {
  std::string names;
  for (core::DType dtype : supported) {
    if (dtype == ctx.dtype) return;
    names += (names.empty() ? "" : ", ") + std::string(core::dtype_name(dtype));
  }
  throw ConfigError(std::string("op ") + op + " has no " + core::dtype_name(ctx.dtype) + " kernel on " +
                    ctx.device.name() + " (supported: " + names + ")");
}

void no_kernel(const char* op, const ExecContext& ctx) {
  if (!ctx.device.is_cpu() && !core::built_with_cuda()) {
    throw ConfigError(std::string("op ") + op + " cannot run on " + ctx.device.name() +
                      ": this genomamba was built without CUDA");
  }
  throw ConfigError(std::string("op ") + op + " has no kernel for " + ctx.device.name() + " yet");
}

}  // namespace genomamba::ops::detail
