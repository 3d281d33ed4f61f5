#include "core/threads.h"

#include <omp.h>

#include <string>

#include "core/log.h"

// OpenBLAS's own thread control (cblas.h of OpenBLAS declares it).
extern "C" void openblas_set_num_threads(int num_threads);

namespace genomamba::core {

void set_num_threads(int n) {
  const int cores = omp_get_num_procs();  // the cores of this process's affinity mask (taskset, Slurm)
  if (n > cores) {
    log::warning("-@ " + std::to_string(n) + ": this process may run on " + std::to_string(cores) +
              " cores only; using " + std::to_string(cores) + " threads");
    n = cores;
  }
  if (n <= 0) n = cores;
  omp_set_num_threads(n);
  // OpenBLAS stays single-threaded: ops::linear splits the rows of each product across the OpenMP
  // threads itself. A second, OpenBLAS-owned pool would spin between sgemm calls on the cores that
  // OpenMP's threads are using (see src/ops/cpu/linear_cpu.cpp).
  openblas_set_num_threads(1);
}

int num_threads() { return omp_get_max_threads(); }

}  // namespace genomamba::core
