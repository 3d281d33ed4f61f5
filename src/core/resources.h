#pragma once
/// Process resource readings for the exit summary and the benchmarks.
#include <cstdint>

namespace genomamba::core {

/// Peak resident set size of this process image, in bytes (/proc/self/status VmHWM; getrusage as fallback).
int64_t peak_rss_bytes();
/// User + system CPU time of this process, in seconds.
double cpu_seconds();
/// Monotonic wall clock, in seconds.
double wall_seconds();

}  // namespace genomamba::core
