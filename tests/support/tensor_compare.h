#pragma once
// Relative error of a tensor against a reference: ||out - ref|| / ||ref|| (design §5), in float64.
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>

namespace genomamba::test {

inline double relative_error(std::span<const float> out, std::span<const float> ref) {
  if (out.size() != ref.size()) throw std::invalid_argument("relative_error: size mismatch");
  double diff = 0.0, norm = 0.0;
  for (size_t i = 0; i < out.size(); ++i) {
    const double d = static_cast<double>(out[i]) - static_cast<double>(ref[i]);
    diff += d * d;
    norm += static_cast<double>(ref[i]) * static_cast<double>(ref[i]);
  }
  if (norm == 0.0) return std::sqrt(diff);
  return std::sqrt(diff / norm);
}

/// Largest absolute difference.
inline double max_abs_diff(std::span<const float> a, std::span<const float> b) {
  if (a.size() != b.size()) throw std::invalid_argument("max_abs_diff: size mismatch");
  double m = 0.0;
  for (size_t i = 0; i < a.size(); ++i) m = std::fmax(m, std::fabs(static_cast<double>(a[i]) - b[i]));
  return m;
}

}  // namespace genomamba::test
