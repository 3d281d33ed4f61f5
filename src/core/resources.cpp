#include "core/resources.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
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

}  // namespace

int64_t current_rss_bytes() { return std::max<int64_t>(0, proc_kib_field("/proc/self/status", "VmRSS: %lld kB")); }

int64_t memory_limit_bytes() {
  const int64_t total = proc_kib_field("/proc/meminfo", "MemTotal: %lld kB");
  const int64_t group = cgroup_memory_max();
  if (total < 0) return group;
  return group > 0 ? std::min(total, group) : total;
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
