#include "core/threads.h"

#include <omp.h>

#include <cstdlib>
#include <string>
#include <tuple>
#include <utility>

#include "core/log.h"

// OpenBLAS's own thread control (cblas.h of OpenBLAS declares it).
extern "C" void openblas_set_num_threads(int num_threads);

namespace genomamba::core {

namespace {

/// A positive count at the start of an environment variable (OMP_NUM_THREADS may be a list: "8,2"), else 0.
int count_from_environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return 0;
  char* end = nullptr;
  const long n = std::strtol(value, &end, 10);
  if (end == value || n < 1 || n > kMaxThreads || (*end != '\0' && *end != ',')) {
    if (*value != '\0') log::warning(std::string(name) + "='" + value + "' is not a thread count; ignored");
    return 0;
  }
  return static_cast<int>(n);
}

std::string& description() {
  static std::string text = "CPU threads not set";
  return text;
}

/// default_num_threads() and where it came from.
std::pair<int, std::string> threads_from_environment() {
  for (const char* name : {"OMP_NUM_THREADS", "SLURM_CPUS_PER_TASK"}) {
    if (const int n = count_from_environment(name); n > 0) return {n, name};
  }
  return {omp_get_num_procs(), "the cores available"};
}

}  // namespace

int default_num_threads() { return threads_from_environment().first; }

void set_num_threads(int n) {
  const int cores = omp_get_num_procs();  // the cores of this process's affinity mask (taskset, Slurm)
  const bool given = n > 0;
  std::string source = "-@";
  if (!given) std::tie(n, source) = threads_from_environment();
  if (n > cores) {
    log::warning((given ? "-@ " : "the environment's thread count ") + std::to_string(n) +
                 ": this process may run on " + std::to_string(cores) + " cores only; using " +
                 std::to_string(cores) + " threads");
    n = cores;
  }
  description() = std::to_string(n) + " CPU thread" + (n == 1 ? "" : "s") + " (" + source + ")";
  omp_set_num_threads(n);
  // OpenBLAS stays single-threaded: ops::linear splits the rows of each product across the OpenMP
  // threads itself. A second, OpenBLAS-owned pool would spin between sgemm calls on the cores that
  // OpenMP's threads are using (see src/ops/cpu/linear_cpu.cpp).
  openblas_set_num_threads(1);
}

int num_threads() { return omp_get_max_threads(); }

std::string threads_description() { return description(); }

}  // namespace genomamba::core
