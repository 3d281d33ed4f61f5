#include "tokenize/window_plan.h"

#include <string>

#include "core/error.h"

namespace genomamba::tokenize {

WindowPlan::WindowPlan(int64_t window, int64_t stride) : window_(window), stride_(stride) {
  if (window < 1) throw ConfigError("--window " + std::to_string(window) + ": must be at least 1");
  if (stride < 1) throw ConfigError("--stride " + std::to_string(stride) + ": must be at least 1");
}

int64_t WindowPlan::count(int64_t length) const {
  if (length <= 0) return 0;
  if (length <= window_) return 1;
  // Starts k * S with k * S < L - W, then the shifted last window at L - W.
  const int64_t tail = length - window_;
  return (tail + stride_ - 1) / stride_ + 1;
}

WindowSpan WindowPlan::at(int64_t length, int64_t k) const {
  const int64_t n = count(length);
  GM_CHECK(k >= 0 && k < n, "window index k must be in [0, count(length))");
  if (length <= window_) return {0, length};
  if (k == n - 1) return {length - window_, length};
  return {k * stride_, k * stride_ + window_};
}

std::vector<WindowSpan> WindowPlan::windows(int64_t length) const {
  const int64_t n = count(length);
  std::vector<WindowSpan> spans;
  spans.reserve(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) spans.push_back(at(length, k));
  return spans;
}

}  // namespace genomamba::tokenize
