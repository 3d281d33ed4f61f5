#pragma once
/// Strand policy of genomamba's outputs (design §5): `fwd` returns HF's outputs as they are; `both`
/// averages each position with the reverse-complement strand aligned to it and is d_model wide.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/matrix.h"
#include "model/caduceus.h"

namespace genomamba::model {

enum class Strand { FWD, BOTH };

struct StrandRequest {
  Strand strand = Strand::BOTH;
  RunSettings run;
  /// Sequence parallelism: each rank passes its shard of the sequences and gets its shard's rows
  /// (ForwardOptions::comm); the reverse-complement pass of PH --strand both runs on the mirror shards.
  parallel::Communicator* comm = nullptr;
  std::optional<int> layer;  ///< HF hidden_states[K] instead of the final hidden state
  bool want_logits = false;
};

struct StrandResult {
  /// [L, W]: W = hidden_width() for FWD, d_model for BOTH.
  core::Matrix hidden;
  /// [L, 4] raw logits of A, C, G, T (empty unless requested).
  core::Matrix logits;
};

/// FWD: hidden = HF hidden state, logits = HF logits columns A, C, G, T.
/// BOTH, PH: a second pass on the reverse complement; hidden[l] = (h(x)[l] + h(rc x)[L-1-l]) / 2,
///   logits[l, v] = (logits(x)[l, v] + logits(rc x)[L-1-l, comp v]) / 2.
/// BOTH, PS: one pass; hidden[l, c] = (a[l, c] + b[l, D-1-c]) / 2; logits as HF (already symmetric).
StrandResult run_with_strand(const Caduceus& model, std::span<const int32_t> ids, const StrandRequest& request);

/// run_with_strand for `batch` sequences of equal length (ids: [batch, L]) through batched forwards; each result
/// equals run_with_strand of its sequence alone, to the last bit.
std::vector<StrandResult> run_with_strand_batch(const Caduceus& model, std::span<const int32_t> ids, int64_t batch,
                                                const StrandRequest& request);

}  // namespace genomamba::model
