#pragma once
/// Thread count of the CPU engine. All CPU threading is OpenMP's: the BLAS is kept single-threaded, and
/// ops::linear splits each product across the OpenMP threads.

namespace genomamba::core {

/// The most threads -@ accepts (a typing error such as -@ 100000 is a usage error, not a crash).
inline constexpr int kMaxThreads = 1024;

/// Sets the number of OpenMP threads (n <= 0: all cores this process may run on) and sets the BLAS to one
/// thread. More threads than those cores only slow the run: n is capped at them, with a warning.
void set_num_threads(int n);
/// The current setting.
int num_threads();

}  // namespace genomamba::core
