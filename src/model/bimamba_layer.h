#pragma once
/// One BiMamba mixer (model-spec §2.2) on the CPU, in one of two memory modes:
/// - whole-sequence (the default up to kStreamingThreshold tokens): the tied projections are computed once
///   (performance.md §6.1): in_proj once on the whole sequence, out_proj once on the summed gated outputs;
///   6 KB per token of scratch for PH 256 (xz [L, 2Di] and y [L, Di]).
/// - streaming (longer sequences, so that 1M tokens fit in a few GB): each direction computes in_proj on its
///   tile and applies out_proj to its tile's gated output, accumulating into `out`; scratch is O(tile) only,
///   at the cost of the projections running once per direction (about 1.7x the GEMM work).
/// Both give the same result up to fp32 reassociation (out_proj(a) + out_proj(b) vs out_proj(a + b)).
#include <cstdint>
#include <vector>

#include "io/model_config.h"
#include "model/weights.h"

namespace genomamba::model {

/// Scratch memory of bimamba_forward, reused across layers and the two PS streams.
/// Sequence-long buffers are O(L * d_inner); per-tile buffers are O(tile * d_inner); the scan state is
/// [d_inner, d_state] (never O(L * d_inner * d_state)).
struct BiMambaScratch {
  /// Sizes the buffers for sequences of up to `max_tokens` tokens scanned in tiles of `tile` tokens.
  /// @param streaming the streaming memory mode (see above); by default chosen by use_streaming()
  BiMambaScratch(const io::ModelConfig& config, int64_t n_tokens, int64_t tile_tokens, bool streaming_mode,
                 int64_t n_chunks = 1);
  BiMambaScratch(const io::ModelConfig& config, int64_t n_tokens, int64_t tile_tokens)
      : BiMambaScratch(config, n_tokens, tile_tokens, use_streaming(n_tokens)) {}

  /// Sequences longer than this run in the streaming mode.
  static constexpr int64_t kStreamingThreshold = 262144;
  static bool use_streaming(int64_t n_tokens) { return n_tokens > kStreamingThreshold; }

  int64_t max_tokens = 0;
  int64_t tile = 0;
  bool streaming = false;
  /// Chunk composition (performance.md §3): each direction scans `chunks` contiguous chunks of the sequence
  /// from zero state, composes their summaries and corrects them, as ranks of a sequence-parallel run would;
  /// 1 scans the sequence in one piece. Whole-sequence mode only. Results agree up to fp32 rounding.
  int64_t chunks = 1;
  std::vector<float> xz;       ///< [L, 2Di] (streaming: [tile, 2Di]): x = cols 0..Di-1, z = cols Di..2Di-1
  std::vector<float> y;        ///< [L, Di] (streaming: [tile, Di]): gated outputs, y_rev + y_fwd, sequence order
  std::vector<float> u;        ///< [tile, Di]: conv + SiLU output, scan order
  std::vector<float> x_dbl;    ///< [tile, R + 2N]: dt | B | C
  std::vector<float> delta;    ///< [tile, Di]: dt_proj output before bias
  /// What each direction carries from tile to tile, kept apart per direction: the conv inputs preceding the
  /// tile ([K-1, Di], scan order) and the scan state ([Di, N]).
  struct Carry {
    std::vector<float> history, state;
  };
  Carry forward_carry, reverse_carry;
  /// Chunk summaries, [chunks, Di, N] x 2 and [chunks, Di] (chunks > 1 only).
  std::vector<float> chunk_final, chunk_incoming, chunk_delta_sum;
};

/// out = out_proj( M_fwd(in) + flip_L(M_rev(flip_L(in))) ), each M the gated Mamba-1 inner path of its
/// direction (model-spec §1.2 steps 2-6). The reverse direction runs first, right to left over tiles,
/// then the forward direction left to right, accumulating into the same buffer; both carry their conv
/// history and scan state across tiles, so the result does not depend on the tile size. With
/// scratch.chunks > 1, each direction runs as composed chunks instead (see BiMambaScratch::chunks).
/// @param in  [n_tokens, d_model], the normed hidden state
/// @param out [n_tokens, d_model]; may alias `in` only in the whole-sequence mode
/// @param n_tokens at most scratch.max_tokens
void bimamba_forward(const LayerWeights& weights, const io::ModelConfig& config, const float* in, float* out,
                     int64_t n_tokens, BiMambaScratch& scratch);

}  // namespace genomamba::model
