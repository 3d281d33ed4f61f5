#include "ops/linear.h"

#include "core/error.h"

namespace genomamba::ops {

void linear(const LinearParams& p) {
  GM_CHECK(p.n_rows >= 0, "linear: n_rows must be >= 0");
  GM_CHECK(p.in_features > 0 && p.out_features > 0, "linear: in_features and out_features must be > 0");
  if (p.n_rows == 0) return;
  GM_CHECK(p.x != nullptr && p.weight != nullptr && p.y != nullptr, "linear: x, weight and y must be non-null");
  GM_CHECK(p.x_stride >= p.in_features, "linear: x_stride must be >= in_features (x: [T, I])");
  GM_CHECK(p.y_stride >= p.out_features, "linear: y_stride must be >= out_features (y: [T, O])");
  cpu::linear_cpu(p);
}

}  // namespace genomamba::ops
