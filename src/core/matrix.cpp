#include "core/matrix.h"

#include "core/error.h"

namespace genomamba::core {

Matrix::Matrix(int64_t rows, int64_t cols) : rows_(rows), cols_(cols) {
  GM_CHECK(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative");
  data_.assign(static_cast<size_t>(rows * cols), 0.0f);
}

}  // namespace genomamba::core
