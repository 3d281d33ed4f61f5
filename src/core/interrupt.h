#pragma once
/// SIGINT and SIGTERM while a job runs (docs/reliability.md, "Faults"). The handler only records the signal
/// and puts the default action back; the pipeline looks at the record between batches and stops with
/// Interrupted, and the job keeps its committed batches for --resume and removes its temporary files.
/// A second signal finds the default action and ends the process at once (committed batches stay whole,
/// as after SIGKILL).
#include <string>

#include "core/error.h"

namespace genomamba::core {

/// A run stopped by SIGINT or SIGTERM. apps/main.cpp exits with 128 + signal().
class Interrupted : public Error {
 public:
  Interrupted(int signal, const std::string& message) : Error(message), signal_(signal) {}
  int signal() const { return signal_; }

 private:
  int signal_;
};

/// Catches SIGINT and SIGTERM for its lifetime and restores the previous actions afterwards. Create it on
/// the main thread; scopes may nest (the outermost one installs the handler and clears the record).
class InterruptScope {
 public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
};

/// The signal that arrived while a scope was active (SIGINT or SIGTERM), or 0.
int interrupt_signal() noexcept;

/// "SIGINT", "SIGTERM", or "signal N".
std::string signal_name(int signal);

/// @throws Interrupted "interrupted by SIG…" when a signal has arrived.
void throw_if_interrupted();

}  // namespace genomamba::core
