#include "core/error.h"

#include "core/interrupt.h"

namespace genomamba {

int exit_code_for(const std::exception& e) noexcept {
  if (const auto* interrupted = dynamic_cast<const core::Interrupted*>(&e)) return 128 + interrupted->signal();
  if (dynamic_cast<const InputError*>(&e) || dynamic_cast<const ConfigError*>(&e)) return 1;
  if (dynamic_cast<const UsageError*>(&e)) return 2;
  return 3;
}

namespace detail {
void throw_internal(const char* cond, const std::string& msg, const char* file, int line) {
  throw InternalError(std::string(file) + ":" + std::to_string(line) + ": check '" + cond + "' failed: " + msg);
}
}  // namespace detail

}  // namespace genomamba
