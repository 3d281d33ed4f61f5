#pragma once
/// A Caduceus PH / PS model: its weights on the host and the forward pass (fp32), tiled along the sequence so
/// memory is O(L * d_model) plus O(tile * d_inner) scratch (design §6). The forward runs on a model::Engine
/// (model/engine.h), kept between calls of the same shape.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "core/device.h"
#include "core/matrix.h"
#include "model/weights.h"
#include "parallel/communicator.h"

namespace genomamba::model {

/// How the BiMamba layers hold a sequence (model/bimamba_layer.h): AUTO lets the memory plan pick the faster
/// whole-sequence mode when it fits the memory allowed, else STREAMING (model/memory_plan.h). Results agree up
/// to fp32 rounding.
enum class MemoryMode { AUTO, WHOLE_SEQUENCE, STREAMING };

/// What every forward of a job shares: where it runs and how much memory it may plan for (from the job's
/// --device, --dtype, --tile and --max-memory).
struct RunSettings {
  core::Device device;
  core::DType dtype = core::DType::F32;
  int64_t tile = 0;        ///< 0: default_tile(device)
  int64_t max_memory = 0;  ///< ForwardOptions::max_memory
};

struct ForwardOptions {
  core::Device device;                   ///< where the forward runs (the results come back to the host)
  core::DType dtype = core::DType::F32;  ///< the activations' element type
  int64_t tile = 0;                 ///< tokens per tile of the scan (results do not depend on it); 0: default_tile(device)
  MemoryMode memory = MemoryMode::AUTO;
  bool want_final_hidden = true;    ///< last_hidden_state
  bool want_logits = false;         ///< MLM logits over the whole (padded) vocabulary
  std::vector<int> capture_layers;  ///< HF hidden_states[K] indices to keep, 0..n_layer
  /// Scan each layer's directions as this many composed chunks, the sequence-parallel algorithm on one process
  /// (model/bimamba_layer.h); 1 scans in one piece. Needs the whole-sequence memory mode.
  int64_t sequence_chunks = 1;
  /// The memory AUTO may plan for, in bytes; 0: 90% of the machine's (or the cgroup's) memory.
  int64_t max_memory = 0;
  /// Sequence parallelism (design §6): with more than one rank every rank calls forward together, each with its
  /// shard of every sequence (parallel::shard_of), and gets its shard's rows of every result; the
  /// whole-sequence memory mode on the CPU. Null or one rank: the sequences as given.
  parallel::Communicator* comm = nullptr;
  /// The ids are the mirror shards of a reverse-complement sequence: rank r holds the reverse complement of its
  /// shard of the forward strand, so the shards follow one another in reverse rank order (PH --strand both's
  /// second pass).
  bool mirrored = false;

  /// Options of a forward that runs with `run`'s device, dtype, tile and memory.
  static ForwardOptions with(const RunSettings& run) {
    ForwardOptions o;
    o.device = run.device, o.dtype = run.dtype, o.tile = run.tile, o.max_memory = run.max_memory;
    return o;
  }
};

struct ForwardResult {
  /// HF last_hidden_state, [L, D] (PH) or [L, 2D] (PS, literal [a | b] layout).
  core::Matrix final_hidden;
  /// HF MLM logits [L, V] (raw, fp32).
  core::Matrix logits;
  /// HF hidden_states[K] for each requested K: 0 = embedding output, 1..n_layer-1 = mixer output of
  /// layer K-1, n_layer = final normed output. Same widths and layout as final_hidden.
  std::map<int, core::Matrix> layer_hidden;
};

class Engine;

/// The most tokens forward_batch puts through one forward (batch x length); longer sequences run one at a time.
inline constexpr int64_t kBatchTokens = 131072;

class Caduceus {
 public:
  explicit Caduceus(CaduceusWeights weights);
  ~Caduceus();
  Caduceus(Caduceus&& other) noexcept;
  Caduceus& operator=(Caduceus&& other) noexcept;
  /// load_weights(dir) + construct.
  static Caduceus load(const std::filesystem::path& dir);

  const io::ModelConfig& config() const { return weights_.config; }
  const CaduceusWeights& weights() const { return weights_; }
  /// Width of a hidden state in HF's layout: d_model (PH) or 2 * d_model (PS).
  int hidden_width() const;

  /// Runs the model on one token sequence. Ids must be < vocab_size.
  ForwardResult forward(std::span<const int32_t> ids, const ForwardOptions& options) const;
  /// Runs `batch` sequences of equal length (ids: [batch, L]) through as few forwards as kBatchTokens allows;
  /// one result per sequence, equal to forward() of that sequence to the last bit.
  std::vector<ForwardResult> forward_batch(std::span<const int32_t> ids, int64_t batch,
                                           const ForwardOptions& options) const;

 private:
  CaduceusWeights weights_;
  /// The engine of the last call, reused while calls fit its shape (batch, length, tile, memory mode).
  mutable std::unique_ptr<Engine> engine_;
  mutable std::unique_ptr<std::mutex> engine_mutex_ = std::make_unique<std::mutex>();
  /// The memory plan's AUTO choice for the last call shape: a job's forwards repeat one shape, and planning
  /// reads /proc and measures the weights and the arena.
  struct AutoChoice {
    core::Device device;
    parallel::Communicator* comm;
    int64_t length, batch, tile, max_memory;
    bool final_hidden, logits;
    size_t captures;
    MemoryMode mode;
  };
  mutable std::optional<AutoChoice> auto_choice_;
};

}  // namespace genomamba::model
