#pragma once
/// Thread count of the CPU engine: OpenMP regions and the BLAS share one setting.

namespace genomamba::core {

/// Sets the number of threads for OpenMP and for the BLAS. n <= 0 means all cores.
void set_num_threads(int n);
/// The current setting.
int num_threads();

}  // namespace genomamba::core
