#pragma once
// POD parameters of ops::embedding_gather. Shared with kernels/.
#include <cstdint>

#include "ops/exec_context.h"

namespace genomamba::ops {

/// out[b, l, :] = table[id(b, l), :] for B sequences of L token ids, where id(b, l) = ids[b * ids_batch_stride + l],
/// or, with `reverse_complement`, complement[ids[b * ids_batch_stride + L-1-l]] (the reverse-complement strand
/// of the sequence, read from its ids without a copy).
struct EmbeddingGatherParams {
  int64_t n_batch = 1;       ///< B
  int64_t n_tokens = 0;      ///< L per sequence
  int64_t n_cols = 0;        ///< D
  int64_t n_table_rows = 0;  ///< V: every id (after the complement map) must be below it (the CPU op throws;
                             ///< the GPU op, which cannot throw mid-kernel, writes a NaN row; callers check ids)
  const int32_t* ids = nullptr;  ///< [B, L], sequence b at ids + b * ids_batch_stride
  int64_t ids_batch_stride = 0;
  const float* table = nullptr;  ///< [V, D], contiguous
  const int32_t* complement = nullptr;  ///< [V] with reverse_complement, else unused
  bool reverse_complement = false;
  float* out = nullptr;          ///< [B, L, D], contiguous
  ExecContext ctx;               ///< where the op runs
};

}  // namespace genomamba::ops
