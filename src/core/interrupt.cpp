#include "core/interrupt.h"

#include <signal.h>

#include <atomic>

namespace genomamba::core {

namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM};

std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free flag");

int g_depth = 0;                    // scopes alive (main thread only)
struct sigaction g_previous[2];     // what the outermost scope replaced

// Async-signal-safe: an atomic store and sigaction only.
extern "C" void on_interrupt(int signal) {
  g_signal.store(signal, std::memory_order_relaxed);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  for (const int s : kSignals) sigaction(s, &default_action, nullptr);
}

}  // namespace

InterruptScope::InterruptScope() {
  if (g_depth++ > 0) return;
  g_signal.store(0, std::memory_order_relaxed);
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  for (const int s : kSignals) sigaddset(&action.sa_mask, s);
  action.sa_flags = SA_RESTART;  // blocking reads go on; the flag is looked at between batches
  for (size_t i = 0; i < 2; ++i) sigaction(kSignals[i], &action, &g_previous[i]);
}

InterruptScope::~InterruptScope() {
  if (--g_depth > 0) return;
  for (size_t i = 0; i < 2; ++i) sigaction(kSignals[i], &g_previous[i], nullptr);
}

int interrupt_signal() noexcept { return g_signal.load(std::memory_order_relaxed); }

std::string signal_name(int signal) {
  if (signal == SIGINT) return "SIGINT";
  if (signal == SIGTERM) return "SIGTERM";
  return "signal " + std::to_string(signal);
}

void throw_if_interrupted() {
  const int signal = interrupt_signal();
  if (signal != 0) throw Interrupted(signal, "interrupted by " + signal_name(signal));
}

}  // namespace genomamba::core
