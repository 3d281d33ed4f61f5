#pragma once
/// Thread count of the CPU engine. All CPU threading is OpenMP's: the BLAS is kept single-threaded, and
/// ops::linear splits each product across the OpenMP threads.

#include <string>

namespace genomamba::core {

/// The most threads -@ accepts (a typing error such as -@ 100000 is a usage error, not a crash).
inline constexpr int kMaxThreads = 1024;

/// Sets the number of OpenMP threads and sets the BLAS to one thread. n <= 0: what the environment asks for
/// (default_num_threads). More threads than the cores this process may run on only slow the run: n is capped
/// at them, with a warning.
void set_num_threads(int n);
/// The threads a job takes when -@ is not given: OMP_NUM_THREADS when it is set (its first number), else
/// SLURM_CPUS_PER_TASK (a Slurm task's CPUs), else every core this process may run on (its affinity mask).
int default_num_threads();
/// The current setting.
int num_threads();
/// The last set_num_threads' count and where it came from, for a job's log: "8 CPU threads (SLURM_CPUS_PER_TASK)".
std::string threads_description();

}  // namespace genomamba::core
