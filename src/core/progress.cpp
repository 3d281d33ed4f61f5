#include "core/progress.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/error.h"
#include "core/resources.h"

namespace genomamba::core {

ProgressMode parse_progress_mode(const std::string& text) {
  if (text == "auto") return ProgressMode::AUTO;
  if (text == "always") return ProgressMode::ALWAYS;
  if (text == "never") return ProgressMode::NEVER;
  throw ConfigError("--progress '" + text + "': expected auto, always or never");
}

bool progress_enabled(ProgressMode mode, bool quiet, bool stream_is_tty) {
  if (quiet || mode == ProgressMode::NEVER) return false;
  return mode == ProgressMode::ALWAYS || stream_is_tty;
}

std::string format_count(double value) {
  static const char* const kSuffix[] = {"", "k", "M", "G", "T"};
  int unit = 0;
  while (std::fabs(value) >= 999.5 && unit < 4) {
    value /= 1000.0;
    ++unit;
  }
  char text[32];
  if (unit == 0) {
    std::snprintf(text, sizeof text, "%.0f", value);
  } else {
    // Three significant digits: 1.97M, 52.1k, 950k.
    const int decimals = std::fabs(value) < 9.995 ? 2 : std::fabs(value) < 99.95 ? 1 : 0;
    std::snprintf(text, sizeof text, "%.*f%s", decimals, value, kSuffix[unit]);
  }
  return text;
}

std::string format_duration(double seconds) {
  const auto total = static_cast<long long>(std::max(0.0, std::round(seconds)));
  char text[48];
  std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
  return text;
}

std::string format_progress(const ProgressCounts& counts, double elapsed_seconds, int64_t total_bases) {
  std::string line;
  if (counts.records >= 0) line = std::to_string(counts.records) + (counts.records == 1 ? " record, " : " records, ");
  line += std::to_string(counts.windows) + " " + counts.unit + (counts.windows == 1 ? ", " : "s, ") +
          format_count(static_cast<double>(counts.tokens)) + " tokens";
  if (elapsed_seconds > 0.0) {
    line += ", " + format_count(static_cast<double>(counts.tokens) / elapsed_seconds) + " tokens/s";
  }
  if (total_bases > 0) {
    const double done = std::clamp(static_cast<double>(counts.bases_done) / static_cast<double>(total_bases), 0.0, 1.0);
    line += ", " + std::to_string(static_cast<int>(done * 100.0)) + "%";
    // The rate of this run's own progress through the input (skipped, resumed windows excluded).
    const double advanced = static_cast<double>(counts.bases_done - counts.bases_resumed);
    if (advanced > 0.0 && elapsed_seconds > 0.0) {
      const double remaining = static_cast<double>(std::max<int64_t>(0, total_bases - counts.bases_done));
      line += ", ETA " + format_duration(remaining * elapsed_seconds / advanced);
    }
  }
  return line;
}

ProgressMeter::ProgressMeter(bool enabled, std::FILE* out, int64_t total_bases, std::function<double()> clock,
                             double min_interval)
    : enabled_(enabled && out != nullptr),
      out_(out),
      total_bases_(total_bases),
      clock_(clock ? std::move(clock) : std::function<double()>(wall_seconds)),
      min_interval_(min_interval),
      start_(clock_()) {}

void ProgressMeter::update(const ProgressCounts& counts) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  counts_ = counts;
  const double now = clock_();
  if (drawn_ && now - last_draw_ < min_interval_) return;
  last_draw_ = now;
  draw_locked();
}

void ProgressMeter::finish() {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  finished_ = true;
  draw_locked();
  std::fputc('\n', out_);
  std::fflush(out_);
}

void ProgressMeter::draw_locked() {
  const std::string line = format_progress(counts_, clock_() - start_, total_bases_);
  // Spaces over the tail of a longer previous line.
  const std::string pad(last_width_ > line.size() ? last_width_ - line.size() : 0, ' ');
  std::fprintf(out_, "\r%s%s", line.c_str(), pad.c_str());
  std::fflush(out_);
  last_width_ = line.size();
  drawn_ = true;
}

}  // namespace genomamba::core
