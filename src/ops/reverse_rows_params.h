#pragma once
// POD parameters of ops::reverse_rows. Shared with kernels/.
#include <cstdint>

#include "ops/exec_context.h"

namespace genomamba::ops {

/// For each of B sequences of L rows:
///   out[b, l, c] (+)= scale * in[b, row(l), col(c)],   row(l) = L-1-l (reverse) or l,
///   col(c) = D-1-c (reverse_cols), column_map[c], or c.
/// What it is for: the reverse complement of a PS stream (rows and channels reversed, in place), the b half of
/// HF's PS layout, and aligning a reverse-complement pass with the forward strand (rows reversed; the
/// vocabulary of logits through the complement map). in == out (same strides) is allowed for a plain
/// reversal: no column_map, no accumulate, scale 1.
struct ReverseRowsParams {
  int64_t n_batch = 1;  ///< B
  int64_t n_rows = 0;   ///< L per sequence
  int64_t n_cols = 0;   ///< D, columns written
  const float* in = nullptr;  ///< [B, L, >= D]: row stride in_stride, sequence stride in_batch_stride
  int64_t in_stride = 0;
  int64_t in_batch_stride = 0;
  float* out = nullptr;       ///< [B, L, >= D]: row stride out_stride, sequence stride out_batch_stride
  int64_t out_stride = 0;
  int64_t out_batch_stride = 0;
  bool reverse = true;                  ///< rows in reverse order
  bool reverse_cols = false;            ///< channels in reverse order
  const int32_t* column_map = nullptr;  ///< [D]: the input column of each output column (not with reverse_cols)
  bool accumulate = false;              ///< add to out instead of writing it
  float scale = 1.0f;
  ExecContext ctx;  ///< where the op runs
};

}  // namespace genomamba::ops
