#pragma once
/// The Caduceus forward on one device: the weights uploaded once (model/device_weights.h), one scratch arena
/// sized once for (batch, window, tile, memory mode), and the layer loop of PH and PS in which every step is an
/// op call (ops/). Reused for every batch of windows of a job.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/arena.h"
#include "model/bimamba_layer.h"
#include "model/caduceus.h"
#include "model/device_weights.h"
#include "ops/device_context.h"

namespace genomamba::model {

/// What an Engine is sized for.
struct EngineOptions {
  core::Device device;
  core::DType dtype = core::DType::F32;
  int64_t batch = 1;       ///< sequences per forward
  int64_t max_tokens = 0;  ///< the longest sequence of a forward
  int64_t tile = 2048;     ///< tokens per tile of the scan (results do not depend on it)
  MemoryMode memory = MemoryMode::WHOLE_SEQUENCE;  ///< resolved: AUTO is the memory plan's to decide
  int64_t sequence_chunks = 1;           ///< MixerShape::chunks
  /// Whether forwards may ask for logits: on a GPU they are computed into a region of the arena [L, V] and
  /// downloaded from there (the CPU writes them straight into the result).
  bool logits = false;
  /// Sequence parallelism: each forward holds this rank's shard of every sequence (MixerShape::comm).
  parallel::Communicator* comm = nullptr;
};

/// The tile a run uses when none is asked for: on the CPU 2,048 tokens (the scan's scratch stays in cache); on a
/// GPU 1,048,576 (each scan call then fills the GPU with chunks; smaller tiles only add launches).
int64_t default_tile(core::Device device);

/// Whether `options` runs in the streaming memory mode (its memory is WHOLE_SEQUENCE or STREAMING).
/// @throws ConfigError for chunk composition with streaming.
bool streaming_for(const EngineOptions& options);

class Engine {
 public:
  /// Uploads the weights and allocates the arena. @throws ConfigError for options the model or device cannot
  /// run (tile < 1, sequence_chunks < 1, chunk composition with streaming).
  Engine(const CaduceusWeights& weights, const EngineOptions& options);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Runs `batch` sequences of equal length (ids: [batch, L], ids.size() = batch * L, batch <= options.batch,
  /// L <= options.max_tokens): one result per sequence, as Caduceus::forward gives it for that sequence alone
  /// (up to fp32 rounding). Only the output fields of `request` are read (hidden states, logits, captures).
  std::vector<ForwardResult> forward(std::span<const int32_t> ids, int64_t batch, const ForwardOptions& request);

  /// The bytes of the scratch arena an engine of `options` allocates on its device (measured by carving it).
  static size_t scratch_bytes(const io::ModelConfig& config, const EngineOptions& options);

  const EngineOptions& options() const { return options_; }
  bool streaming() const { return streaming_; }
  size_t weight_bytes() const { return weights_->bytes(); }
  size_t arena_bytes() const { return arena_.used_bytes(); }

 private:
  /// One residual stream in the arena: h (mixer output / hidden state) and r (residual sum), [B, L, D] each.
  struct Stream {
    float* h = nullptr;
    float* r = nullptr;
  };

  /// Carves every region out of `arena` in one fixed order (measuring first, then for real).
  void carve(core::Arena& arena);
  /// Only what carve() reads: for scratch_bytes().
  Engine(const io::ModelConfig& config, const EngineOptions& options, bool streaming);
  /// The pre-norm of layer k: r (+)= h, and for PS the swap of the streams' residuals with their reverse
  /// complement (the fused-path quirk, model-spec §2.4); then h = RMSNorm(r).
  void pre_norm(int k, int64_t batch, int64_t L);
  /// h = BiMamba_k(h) for every stream. `mirrored`: the sequences are mirror shards (ForwardOptions::mirrored).
  void mix(int k, int64_t batch, int64_t L, bool mirrored);
  /// HF's hidden state of sequence b: h as it is (PH), or [P | RC(Q)] (PS), into `out` [L, W] on the host. On a
  /// GPU, Q is reverse-complemented in place for the download and back again.
  void write_hidden(int64_t b, int64_t L, float* out);
  /// MLM logits of sequence b into `out` [L, V]: h E^T (PH), F_P E^T + rows-reversed F_Q E_comp^T (PS; reverses
  /// Q's rows in place).
  void write_logits(int64_t b, int64_t L, float* out);

  const io::ModelConfig config_;
  EngineOptions options_;
  bool streaming_ = false;
  ops::ExecContext ctx_;
  std::optional<DeviceWeights> weights_;
  core::Arena arena_;
  std::optional<ops::DeviceContext> device_context_;  ///< the cuBLAS handle on a GPU
  float* blas_workspace_ = nullptr;  ///< on a GPU: cuBLAS's workspace, a region of the arena
  float* logits_ = nullptr;          ///< on a GPU with options.logits: [L, V], one sequence's logits
  int32_t* ids_ = nullptr;    ///< [B, L]
  std::vector<Stream> streams_;  ///< PH: one; PS: P (forward order) and Q (reverse-complement order)
  /// Where each stream's h and the spare start every forward: the streaming mode swaps them layer by layer.
  std::vector<float*> h_home_;
  float* spare_home_ = nullptr;
  float* spare_ = nullptr;    ///< [B, L, D], the streaming mode's layer output (it cannot write over its input)
  /// On the CPU, the first stream's h lives here, per forward, instead of in the arena: a single PH sequence's
  /// final hidden state (the largest buffer of a long run) is then handed to its result without a copy, so a
  /// run needs no memory for its output beyond what it computes in.
  std::vector<float> host_h_;
  std::optional<MixerScratch> mixer_;
};

}  // namespace genomamba::model
