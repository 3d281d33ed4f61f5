#pragma once
// Embedding lookup on the GPU; the same contract as the CPU op (src/ops/embedding_gather_params.h), with every
// pointer in memory of params.ctx.device. Called by ops::embedding_gather.
#include "ops/embedding_gather_params.h"

namespace genomamba::ops::cuda {

/// Launches on params.ctx.stream (no synchronisation). An id outside the table (after the complement map) cannot
/// throw from the device: its output row is filled with NaN instead, and the table is never read out of range.
void embedding_gather_cuda(const EmbeddingGatherParams& params);

}  // namespace genomamba::ops::cuda
