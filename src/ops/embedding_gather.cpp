#include "ops/embedding_gather.h"

#include "core/error.h"
#include "ops/cpu/cpu_ops.h"
#include "ops/op_support.h"

#if GENOMAMBA_HAVE_CUDA
#include "embedding_gather.cuh"  // kernels/
#endif

namespace genomamba::ops {

void embedding_gather(const EmbeddingGatherParams& p) {
  GM_CHECK(p.n_batch >= 0 && p.n_tokens >= 0, "embedding_gather: n_batch and n_tokens must be >= 0");
  GM_CHECK(p.n_cols > 0 && p.n_table_rows > 0, "embedding_gather: n_cols and n_table_rows must be > 0");
  if (p.n_batch == 0 || p.n_tokens == 0) return;
  GM_CHECK(p.ids != nullptr && p.table != nullptr && p.out != nullptr,
           "embedding_gather: ids, table and out must be non-null");
  GM_CHECK(p.n_batch == 1 || p.ids_batch_stride >= p.n_tokens, "embedding_gather: ids_batch_stride must be >= n_tokens");
  GM_CHECK(!p.reverse_complement || p.complement != nullptr,
           "embedding_gather: reverse_complement needs the complement map");
  detail::require_dtype("embedding_gather", p.ctx, {core::DType::F32});
  detail::run_on_device("embedding_gather", p, cpu::embedding_gather_cpu, GM_CUDA_KERNEL(cuda::embedding_gather_cuda));
}

}  // namespace genomamba::ops
