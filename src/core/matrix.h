#pragma once
/// A dense row-major float32 matrix on the host: the activation type of the CPU engine.
#include <cstdint>
#include <span>
#include <vector>

namespace genomamba::core {

class Matrix {
 public:
  Matrix() = default;
  /// rows x cols, zero-filled.
  Matrix(int64_t rows, int64_t cols);
  /// rows x cols holding `data` (row-major, rows * cols values), without a copy.
  Matrix(int64_t rows, int64_t cols, std::vector<float>&& data);

  int64_t rows() const { return rows_; }
  int64_t cols() const { return cols_; }
  int64_t size() const { return rows_ * cols_; }
  bool empty() const { return size() == 0; }

  float* data() { return data_.data(); }
  const float* data() const { return data_.data(); }
  float* row(int64_t r) { return data_.data() + r * cols_; }
  const float* row(int64_t r) const { return data_.data() + r * cols_; }
  float& at(int64_t r, int64_t c) { return data_[static_cast<size_t>(r * cols_ + c)]; }
  float at(int64_t r, int64_t c) const { return data_[static_cast<size_t>(r * cols_ + c)]; }
  std::span<float> span() { return data_; }
  std::span<const float> span() const { return data_; }

 private:
  int64_t rows_ = 0;
  int64_t cols_ = 0;
  std::vector<float> data_;
};

}  // namespace genomamba::core
