#pragma once
/// Process resource readings for the exit summary and the benchmarks.
#include <cstdint>

namespace genomamba::core {

/// Peak resident set size of this process image, in bytes (/proc/self/status VmHWM; getrusage as fallback).
int64_t peak_rss_bytes();
/// Resident set size of this process now, in bytes (/proc/self/status VmRSS; 0 when unreadable).
int64_t current_rss_bytes();
/// The memory this process may use: physical memory (MemTotal), or the cgroup's limit (memory.max, cgroup v2)
/// when that is lower. A fixed figure for a machine or a job allocation, unlike the free memory of the moment.
int64_t memory_limit_bytes();
/// User + system CPU time of this process, in seconds.
double cpu_seconds();
/// Monotonic wall clock, in seconds.
double wall_seconds();

}  // namespace genomamba::core
