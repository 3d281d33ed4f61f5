#pragma once
/// Process resource readings for the exit summary and the benchmarks.
#include <cstdint>

namespace genomamba::core {

/// Peak resident set size of this process, in bytes (getrusage ru_maxrss).
int64_t peak_rss_bytes();
/// User + system CPU time of this process, in seconds.
double cpu_seconds();
/// Monotonic wall clock, in seconds.
double wall_seconds();

}  // namespace genomamba::core
