#pragma once
/// Logging to stderr with levels, in the spirit of hts_log. stdout is reserved for data.
#include <string>

namespace genomamba::log {

enum class Level { ERROR = 0, WARNING = 1, INFO = 2, DEBUG = 3 };

/// Messages above this level are dropped. Default INFO; -q sets WARNING.
void set_level(Level level);
Level level();

void error(const std::string& msg);
void warning(const std::string& msg);
void info(const std::string& msg);
void debug(const std::string& msg);

}  // namespace genomamba::log
