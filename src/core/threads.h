#pragma once
/// Thread count of the CPU engine. All CPU threading is OpenMP's: the BLAS is kept single-threaded, and
/// ops::linear splits each product across the OpenMP threads.

namespace genomamba::core {

/// Sets the number of OpenMP threads (n <= 0: all cores) and sets the BLAS to one thread.
void set_num_threads(int n);
/// The current setting.
int num_threads();

}  // namespace genomamba::core
