#pragma once
/// How the CUDA selective scan splits a tile of tokens into chunks that run in parallel (performance.md §2.3,
/// §3.2): each chunk is scanned on its own, the chunks' (ΣΔ, end state) summaries are composed in order, and
/// the chunks after the first are corrected with the state entering them. The summaries live in the op's
/// workspace (ExecContext::workspace), whose size the engine gets from selective_scan_workspace_bytes().
/// C++17-clean: shared with kernels/.
#include <cstdint>

namespace genomamba::ops {

/// Tokens per chunk of the chunk-parallel scan (the last chunk of a call may be shorter).
inline constexpr int64_t kScanChunkTokens = 256;

/// Chunks of a call over `n_tokens` tokens (0 for none).
constexpr int64_t scan_chunk_count(int64_t n_tokens) {
  return n_tokens <= 0 ? 0 : (n_tokens + kScanChunkTokens - 1) / kScanChunkTokens;
}

/// Floats of chunk summaries a call needs: for every sequence and chunk, the state [N, Di] (the chunk's end
/// state when scanned from zero, overwritten by the composition with the state entering the chunk) and ΣΔ
/// [Di]. Laid out as states [n_batch, K, N, Di] followed by delta sums [n_batch, K, Di].
constexpr int64_t scan_workspace_floats(int64_t n_batch, int64_t n_tokens, int64_t d_inner, int64_t d_state) {
  return n_batch <= 0 ? 0 : n_batch * scan_chunk_count(n_tokens) * d_inner * (d_state + 1);
}

}  // namespace genomamba::ops
