#include "core/matrix.h"

#include <utility>

#include "core/error.h"

namespace genomamba::core {

Matrix::Matrix(int64_t rows, int64_t cols) : rows_(rows), cols_(cols) {
  GM_CHECK(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative");
  data_.assign(static_cast<size_t>(rows * cols), 0.0f);
}

Matrix::Matrix(int64_t rows, int64_t cols, std::vector<float>&& data) : rows_(rows), cols_(cols), data_(std::move(data)) {
  GM_CHECK(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative");
  GM_CHECK(data_.size() == static_cast<size_t>(rows * cols), "matrix data must hold rows * cols values");
}

}  // namespace genomamba::core
