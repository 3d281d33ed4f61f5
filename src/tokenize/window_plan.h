#pragma once
/// How a record is tiled into model windows (design §6, §7; issue 3): --window W, --stride S.
///
/// A record of length L <= W is one window [0, L). A longer record has windows starting at 0, S, 2S, ...
/// while start + W < L, followed by one last window [L - W, L), shifted left so that it keeps length W
/// (when the stride already lands on L - W that window is not repeated). Every window of a record longer
/// than W has length exactly W. Coordinates are 0-based, half-open, relative to the record's first base.
#include <cstdint>
#include <vector>

namespace genomamba::tokenize {

/// One window: [begin, end) in the record's own coordinates.
struct WindowSpan {
  int64_t begin = 0;
  int64_t end = 0;
  int64_t length() const { return end - begin; }
  friend bool operator==(const WindowSpan& a, const WindowSpan& b) { return a.begin == b.begin && a.end == b.end; }
};

/// The window and stride of a plan; both at least 1.
class WindowPlan {
 public:
  /// @throws ConfigError naming --window or --stride when either is below 1.
  WindowPlan(int64_t window, int64_t stride);

  int64_t window() const { return window_; }
  int64_t stride() const { return stride_; }

  /// Number of windows of a record of length `length` (0 for an empty record).
  int64_t count(int64_t length) const;

  /// Window `k` (0 <= k < count(length)) of a record of length `length`, without building the list.
  /// @throws InternalError for k out of range.
  WindowSpan at(int64_t length, int64_t k) const;

  /// Every window of a record of length `length`, in order (empty for an empty record).
  std::vector<WindowSpan> windows(int64_t length) const;

 private:
  int64_t window_;
  int64_t stride_;
};

}  // namespace genomamba::tokenize
