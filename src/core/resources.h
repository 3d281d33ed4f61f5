#pragma once
/// Process resource readings for the exit summary and the benchmarks.
#include <cstdint>

namespace genomamba::core {

/// Peak resident set size of this process image, in bytes (/proc/self/status VmHWM; getrusage as fallback).
int64_t peak_rss_bytes();
/// Resident set size of this process now, in bytes (/proc/self/status VmRSS; 0 when unreadable).
int64_t current_rss_bytes();
/// The memory this process may use: physical memory (MemTotal), or, when lower, the cgroup's limit (memory.max,
/// cgroup v2) or a Slurm task's share of its job's memory (SLURM_MEM_PER_CPU x SLURM_CPUS_PER_TASK, or
/// SLURM_MEM_PER_NODE over the tasks on the node). A fixed figure for a machine or a job allocation, unlike the
/// free memory of the moment.
int64_t memory_limit_bytes();
/// User + system CPU time of this process, in seconds.
double cpu_seconds();
/// Monotonic wall clock, in seconds.
double wall_seconds();

}  // namespace genomamba::core
