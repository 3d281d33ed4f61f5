#pragma once
/// One BiMamba mixer (model-spec §2.2) over B sequences of L tokens, in one of two memory modes:
/// - whole-sequence: the tied projections run once (performance.md §6.1): in_proj once on the whole sequence,
///   out_proj once on the summed gated outputs; 6 KB per token of scratch for PH 256 (xz [L, 2Di], y [L, Di]).
/// - streaming (so that 1M tokens fit in a few GB): each direction computes in_proj on its tile and applies
///   out_proj to its tile's gated output, accumulating into `out`; scratch is O(tile) only, at the cost of the
///   projections running once per direction (about 1.7x the GEMM work).
/// Both give the same result up to fp32 reassociation (out_proj(a) + out_proj(b) vs out_proj(a + b)).
/// Every step is an op call on the engine's device (ops/); the buffers are regions of the engine's arena.
#include <cstdint>

#include "core/arena.h"
#include "io/model_config.h"
#include "model/device_weights.h"
#include "ops/exec_context.h"
#include "parallel/communicator.h"

namespace genomamba::model {

/// What the mixer's scratch is sized for.
struct MixerShape {
  int64_t batch = 1;       ///< B sequences per call
  int64_t max_tokens = 0;  ///< L, the longest sequence
  int64_t tile = 1;        ///< tokens per tile of the scan (results do not depend on it)
  bool streaming = false;
  /// Chunk composition (performance.md §3): each direction scans `chunks` contiguous chunks of the sequence
  /// from zero state, composes their summaries and corrects them, as ranks of a sequence-parallel run would;
  /// 1 scans the sequence in one piece. Whole-sequence mode only. Results agree up to fp32 rounding.
  int64_t chunks = 1;
  core::Device device;  ///< where the scratch lives (the selective scan's workspace depends on it)
  /// Sequence parallelism (design §6): with more than one rank, each call holds this rank's shard of every
  /// sequence, and each direction runs as composed shards (performance.md §3.2): the conv halo and the scan
  /// summaries are exchanged through `comm` at every layer. Whole-sequence mode only; on any device.
  parallel::Communicator* comm = nullptr;
};

/// How the shards of the sequence a mixer call sees follow one another: in rank order (a sequence as given),
/// or in reverse rank order (the mirror shards of a reverse-complement stream: rank r holds the rows that
/// mirror its shard of the forward strand, so the strand swaps of PS and PH --strand both stay local).
enum class ShardOrder { ASCENDING, DESCENDING };

/// The mixer's scratch: regions of an arena, reused by every layer and stream. O(B L Di) in the
/// whole-sequence mode, O(B tile Di) in the streaming one; the scan state is [B, Di, N] per direction, never
/// O(L Di N).
struct MixerScratch {
  /// Carves the regions for `shape` out of `arena` (a measuring arena counts them).
  MixerScratch(const io::ModelConfig& config, const MixerShape& shape, core::Arena& arena);

  /// What a direction carries from tile to tile (and chunk to chunk), kept apart per direction: the conv
  /// inputs before the tile ([B, K-1, Di], scan order) and the scan state ([B, Di, N]).
  struct Carry {
    float* history = nullptr;
    float* state = nullptr;
  };

  MixerShape shape;
  int64_t tile = 1;      ///< shape.tile, at most max_tokens
  float* xz = nullptr;     ///< [B, L, 2Di] (streaming: [B, tile, 2Di]): x = cols 0..Di-1, z = cols Di..2Di-1
  float* y = nullptr;      ///< [B, L, Di] (streaming: [B, tile, Di]): y_rev + y_fwd, sequence order
  float* u = nullptr;      ///< [B, tile, Di]: conv + SiLU output, scan order
  float* x_dbl = nullptr;  ///< [B, tile, R + 2N]: dt | B | C
  float* delta = nullptr;  ///< [B, tile, Di]: dt_proj output before bias
  Carry forward_carry, reverse_carry;
  float* chunk_final = nullptr;      ///< [B, chunks, Di, N] (chunks > 1 only)
  float* chunk_incoming = nullptr;   ///< [B, chunks, Di, N]
  float* chunk_delta_sum = nullptr;  ///< [B, chunks, Di]
  /// The selective scan's workspace for one tile (ops::selective_scan_workspace_bytes; none on the CPU).
  float* scan_workspace = nullptr;
  int64_t scan_workspace_bytes = 0;
  /// Sequence parallelism (shape.comm with P > 1 ranks). halo: [B, K-1, Di], this shard's conv inputs before it
  /// in scan order. edges: what a rank publishes, [B, K-1, Di] (its last K-1 rows of x in scan order; fewer
  /// when its shard is shorter, the rest zero); edges_all: every rank's. summary: [B, Di*N + Di] (end state, ΣΔ); summary_all:
  /// every rank's. rank_final [P, Di, N] and rank_delta_sum [P, Di]: the preceding shards' summaries in scan
  /// order, for the composition.
  float* halo = nullptr;
  float* edges = nullptr;
  float* edges_all = nullptr;
  float* summary = nullptr;
  float* summary_all = nullptr;
  float* rank_final = nullptr;
  float* rank_delta_sum = nullptr;
};

/// out = out_proj( M_fwd(in) + flip_L(M_rev(flip_L(in))) ) for each of `batch` sequences of `n_tokens` tokens,
/// each M the gated Mamba-1 inner path of its direction (model-spec §1.2 steps 2-6). The reverse direction
/// runs first, right to left over tiles, then the forward direction left to right, accumulating into the same
/// buffer; both carry their conv history and scan state across tiles, so the result does not depend on the
/// tile size. With shape.chunks > 1 each direction runs as composed chunks instead (MixerShape::chunks).
/// @param in  [batch, n_tokens, d_model], the normed hidden state
/// @param out [batch, n_tokens, d_model]; may alias `in` only in the whole-sequence mode
/// With shape.comm of P > 1 ranks, `in` and `out` hold this rank's shard ([batch, n_tokens, d_model], n_tokens
/// may differ between ranks and be 0) and `order` says how the shards follow one another.
void bimamba_forward(const LayerTensors& weights, const io::ModelConfig& config, const ops::ExecContext& ctx,
                     const float* in, float* out, int64_t batch, int64_t n_tokens, MixerScratch& scratch,
                     ShardOrder order = ShardOrder::ASCENDING);

}  // namespace genomamba::model
