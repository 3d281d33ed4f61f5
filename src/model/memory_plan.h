#pragma once
/// The memory plan: before a run starts, the bytes it will need are computed from the model and the run's
/// shape, the memory mode and tile are chosen from them, and a run that cannot fit is refused before any work,
/// naming the flag to change. The scratch part is exact: it is the engine's arena, measured by carving it.
#include <cstdint>
#include <string>

#include "core/device.h"
#include "model/caduceus.h"

namespace genomamba::model {

/// What a run asks of memory.
struct PlanRequest {
  int64_t window = 0;  ///< tokens per sequence
  int64_t batch = 1;   ///< sequences whose results are alive together (one batch of the job)
  int64_t tile = 0;    ///< 0: default_tile(device)
  MemoryMode memory = MemoryMode::AUTO;  ///< AUTO: the fastest mode that fits
  core::Device device;
  core::DType dtype = core::DType::F32;
  /// The memory allowed on the engine's device (--max-memory): the host's on the CPU, the GPU's on a GPU. 0: 90%
  /// of core::memory_limit_bytes() on the CPU, 90% of the GPU's free memory (read now) on a GPU.
  int64_t max_bytes = 0;
  /// Processes one sequence is split over (sequence parallelism, design §6): each holds ceil(window / ranks)
  /// tokens and its share of the outputs.
  int64_t ranks = 1;
  bool want_final_hidden = true;
  bool want_logits = false;
  int captures = 0;       ///< hidden states kept besides the final one
  int passes = 1;         ///< forwards whose results are alive together per sequence (PH --strand both: 2)
  int64_t command_bytes = 0;  ///< what the command itself holds for one batch (its output matrices, its input)

  /// The request with `run`'s device, dtype, tile and memory allowed.
  static PlanRequest with(const RunSettings& run) {
    PlanRequest r;
    r.device = run.device, r.dtype = run.dtype, r.tile = run.tile, r.max_bytes = run.max_memory;
    return r;
  }
};

struct MemoryPlan {
  bool streaming = false;
  bool on_gpu = false;        ///< the engine's device is a GPU: its memory and the host's are planned apart
  int64_t tile = 0;
  int64_t forward_batch = 1;  ///< sequences per forward (kBatchTokens)
  int64_t ranks = 1;
  int64_t rank_tokens = 0;    ///< tokens of a sequence one rank holds
  int64_t host_weight_bytes = 0;    ///< the model as loaded (float32 on the host)
  int64_t device_weight_bytes = 0;  ///< its copy on the engine's device, prepared for the kernels
  int64_t scratch_bytes = 0;  ///< the engine's arena (on a GPU: cuBLAS's workspace and the scan's included)
  int64_t output_bytes = 0;   ///< the results of one batch, and the command's own buffers (host memory)
  int64_t process_bytes = 0;  ///< resident memory of the process when planned (the loaded model included)
  int64_t allowed_bytes = 0;       ///< memory allowed on the engine's device
  int64_t host_allowed_bytes = 0;  ///< on a GPU: host memory allowed for the model and the outputs

  /// What the plan decides on, on the engine's device: on the CPU the model and everything the run adds to it,
  /// on a GPU the weights and the arena there (deterministic for a given run).
  int64_t run_bytes() const {
    return on_gpu ? device_weight_bytes + scratch_bytes
                  : host_weight_bytes + device_weight_bytes + scratch_bytes + output_bytes;
  }
  /// On a GPU, what the run holds in host memory: the model as loaded and the outputs.
  int64_t host_bytes() const { return on_gpu ? host_weight_bytes + output_bytes : run_bytes(); }
  bool fits() const { return run_bytes() <= allowed_bytes && (!on_gpu || host_bytes() <= host_allowed_bytes); }
  /// The predicted peak: on the CPU the resident memory of the process (what it holds now, the model loaded,
  /// and what the run adds); on a GPU the device memory the engine allocates.
  int64_t peak_bytes() const {
    return on_gpu ? device_weight_bytes + scratch_bytes
                  : process_bytes + device_weight_bytes + scratch_bytes + output_bytes;
  }
  MemoryMode mode() const { return streaming ? MemoryMode::STREAMING : MemoryMode::WHOLE_SEQUENCE; }
  /// One line for the log: mode, tile and the parts of the predicted peak, against the memory allowed.
  std::string summary() const;
};

/// "1.5 GB", "230 MB", "12 KB" (decimal units, as the plan prints them).
std::string format_bytes(int64_t bytes);

/// The plan of one memory mode, whether or not it fits (allowed_bytes filled in, for comparison).
MemoryPlan measure_plan(const CaduceusWeights& weights, const PlanRequest& request, bool streaming);

/// Plans a run of `weights` for `request`: the whole-sequence mode when it fits (it is the faster), else the
/// streaming one (one rank only). @throws ConfigError naming --window, --batch, --tile or --max-memory (and more
/// ranks, with ranks) when no mode fits.
MemoryPlan plan_memory(const CaduceusWeights& weights, const PlanRequest& request);

/// The fewest ranks over which `request` (its own `ranks` ignored) fits, up to 65,536; 0 when none does (the
/// model or the outputs alone are too large). More than one rank runs in the whole-sequence mode only.
int64_t ranks_needed(const CaduceusWeights& weights, const PlanRequest& request);

}  // namespace genomamba::model
