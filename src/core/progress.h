#pragma once
/// A one-line progress display on stderr (design §7): records, windows and tokens done, tokens/s, and an
/// ETA when the total is known. Redrawn in place with '\r' at most every `min_interval` seconds; finish()
/// draws the last state and ends the line. Shown on a TTY (or --progress always), never with -q or
/// --progress never.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>

namespace genomamba::core {

enum class ProgressMode { AUTO, ALWAYS, NEVER };

/// "auto" | "always" | "never". @throws ConfigError naming --progress otherwise.
ProgressMode parse_progress_mode(const std::string& text);

/// Whether to show progress: AUTO when the stream is a terminal, ALWAYS always, NEVER or `quiet` never.
bool progress_enabled(ProgressMode mode, bool quiet, bool stream_is_tty);

/// How far a run is.
struct ProgressCounts {
  int64_t records = 0;        ///< input records read up to the last finished window; < 0: not shown
  int64_t windows = 0;        ///< windows finished (with --resume: including those of earlier runs)
  int64_t tokens = 0;         ///< tokens computed by this run
  int64_t bases_done = 0;     ///< input position of the last finished window, in bases of the whole input
  int64_t bases_resumed = 0;  ///< input position where this run's own work began (after --resume skipped)
  const char* unit = "window";  ///< what `windows` counts, singular ("window", "allele", "position")
};

/// The progress text (no '\r'), e.g. "3 records, 120 windows, 1.97M tokens, 52.1k tokens/s, 41%, ETA 0:01:20".
/// @param total_bases bases of the whole input, or a negative value when unknown (no percentage, no ETA)
std::string format_progress(const ProgressCounts& counts, double elapsed_seconds, int64_t total_bases);

/// "0:01:20" (h:mm:ss) for a duration in seconds.
std::string format_duration(double seconds);

/// "950", "52.1k", "1.97M", "3.20G": three significant digits.
std::string format_count(double value);

class ProgressMeter {
 public:
  /// @param enabled false: every call does nothing
  /// @param out the stream to draw on (stderr in the app)
  /// @param total_bases bases of the whole input, negative when unknown
  /// @param clock seconds of a monotonic clock (core::wall_seconds by default; tests pass their own)
  /// @param min_interval the least time between two redraws, in seconds
  ProgressMeter(bool enabled, std::FILE* out, int64_t total_bases, std::function<double()> clock = {},
                double min_interval = 0.5);
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

  /// Records the counts and redraws when min_interval has passed since the last draw. Thread-safe.
  void update(const ProgressCounts& counts);

  /// Draws the last counts and ends the line; later calls do nothing. Thread-safe.
  void finish();

  bool enabled() const { return enabled_; }

 private:
  void draw_locked();

  const bool enabled_;
  std::FILE* out_;
  const int64_t total_bases_;
  std::function<double()> clock_;
  const double min_interval_;
  const double start_;
  std::mutex mutex_;
  ProgressCounts counts_;
  double last_draw_ = -1.0;
  size_t last_width_ = 0;
  bool drawn_ = false;
  bool finished_ = false;
};

}  // namespace genomamba::core
