#include "core/resources.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace genomamba::core {

int64_t peak_rss_bytes() {
  // VmHWM belongs to this process image. getrusage's ru_maxrss is not used first because Linux carries it
  // across execve, so a program started by a large parent (Python, a workflow engine) would report the
  // parent's peak instead of its own.
  if (std::FILE* f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    long long kib = -1;
    while (std::fgets(line, sizeof line, f))
      if (std::sscanf(line, "VmHWM: %lld kB", &kib) == 1) break;
    std::fclose(f);
    if (kib >= 0) return kib * 1024;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

namespace {

/// The first "<key> <number> kB" line of a /proc file, in bytes; -1 when missing.
int64_t proc_kib_field(const char* path, const char* format) {
  long long kib = -1;
  if (std::FILE* f = std::fopen(path, "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, f))
      if (std::sscanf(line, format, &kib) == 1) break;
    std::fclose(f);
  }
  return kib >= 0 ? kib * 1024 : -1;
}

/// This process's cgroup v2 memory.max in bytes; -1 when there is none or it is "max".
int64_t cgroup_memory_max() {
  std::FILE* f = std::fopen("/proc/self/cgroup", "r");
  if (!f) return -1;
  char line[4096];
  std::string group;
  while (std::fgets(line, sizeof line, f)) {
    const std::string text(line);
    if (text.rfind("0::", 0) == 0) group = text.substr(3, text.find_last_not_of("\n") - 2);
  }
  std::fclose(f);
  if (group.empty()) return -1;
  long long bytes = -1;
  if (std::FILE* m = std::fopen(("/sys/fs/cgroup" + group + "/memory.max").c_str(), "r")) {
    if (std::fscanf(m, "%lld", &bytes) != 1) bytes = -1;  // "max": no limit
    std::fclose(m);
  }
  return bytes;
}

/// The leading positive integer of an environment variable ("2(x3)" -> 2); 0 when unset or not a number.
int64_t leading_count(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return 0;
  char* end = nullptr;
  const long long n = std::strtoll(value, &end, 10);
  return end != value && n > 0 ? n : 0;
}

/// A Slurm task's share of its job's memory (--mem-per-cpu, or --mem divided among the tasks on the node),
/// in bytes; -1 outside Slurm or when the job asked for all of a node's memory (--mem=0). Where Slurm confines
/// jobs with cgroup v2 the cgroup's limit says the same; elsewhere this is the only place it is written.
int64_t slurm_memory_limit() {
  constexpr int64_t mib = int64_t{1} << 20;
  if (const int64_t per_cpu = leading_count("SLURM_MEM_PER_CPU"); per_cpu > 0) {
    return per_cpu * std::max<int64_t>(1, leading_count("SLURM_CPUS_PER_TASK")) * mib;
  }
  if (const int64_t per_node = leading_count("SLURM_MEM_PER_NODE"); per_node > 0) {
    int64_t tasks = leading_count("SLURM_STEP_TASKS_PER_NODE");  // within an srun step
    if (tasks == 0) tasks = leading_count("SLURM_NTASKS_PER_NODE");
    return per_node * mib / std::max<int64_t>(1, tasks);
  }
  return -1;
}

}  // namespace

int64_t current_rss_bytes() { return std::max<int64_t>(0, proc_kib_field("/proc/self/status", "VmRSS: %lld kB")); }

int64_t memory_limit_bytes() {
  int64_t limit = proc_kib_field("/proc/meminfo", "MemTotal: %lld kB");
  for (const int64_t bound : {cgroup_memory_max(), slurm_memory_limit()}) {
    if (bound > 0) limit = limit > 0 ? std::min(limit, bound) : bound;
  }
  return limit;
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto secs = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec * 1e-6; };
  return secs(usage.ru_utime) + secs(usage.ru_stime);
}

double wall_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

}  // namespace genomamba::core
