#include "core/log.h"

#include <atomic>
#include <cstdio>

namespace genomamba::log {
namespace {
std::atomic<Level> g_level{Level::INFO};

void emit(Level at, const char* tag, const std::string& msg) {
  if (static_cast<int>(at) > static_cast<int>(g_level.load())) return;
  std::fprintf(stderr, "[%s] %s\n", tag, msg.c_str());
}
}  // namespace

void set_level(Level lvl) { g_level = lvl; }
Level level() { return g_level.load(); }
void error(const std::string& msg) { emit(Level::ERROR, "E::genomamba", msg); }
void warning(const std::string& msg) { emit(Level::WARNING, "W::genomamba", msg); }
void info(const std::string& msg) { emit(Level::INFO, "M::genomamba", msg); }
void debug(const std::string& msg) { emit(Level::DEBUG, "D::genomamba", msg); }

}  // namespace genomamba::log
