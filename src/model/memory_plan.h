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
  int64_t tile = 2048;
  MemoryMode memory = MemoryMode::AUTO;  ///< AUTO: the fastest mode that fits
  core::Device device;
  core::DType dtype = core::DType::F32;
  int64_t max_bytes = 0;  ///< the memory allowed (--max-memory); 0: 90% of core::memory_limit_bytes()
  bool want_final_hidden = true;
  bool want_logits = false;
  int captures = 0;       ///< hidden states kept besides the final one
  int passes = 1;         ///< forwards whose results are alive together per sequence (PH --strand both: 2)
  int64_t command_bytes = 0;  ///< what the command itself holds for one batch (its output matrices, its input)
};

struct MemoryPlan {
  bool streaming = false;
  int64_t tile = 0;
  int64_t forward_batch = 1;  ///< sequences per forward (kBatchTokens)
  int64_t host_weight_bytes = 0;    ///< the model as loaded (float32 on the host)
  int64_t device_weight_bytes = 0;  ///< its copy on the engine's device, prepared for the kernels
  int64_t scratch_bytes = 0;  ///< the engine's arena
  int64_t output_bytes = 0;   ///< the results of one batch, and the command's own buffers
  int64_t process_bytes = 0;  ///< resident memory of the process when planned (the loaded model included)
  int64_t allowed_bytes = 0;

  /// What the plan decides on: the model and everything the run adds to it (deterministic for a given run).
  int64_t run_bytes() const { return host_weight_bytes + device_weight_bytes + scratch_bytes + output_bytes; }
  /// The predicted peak resident memory of the process: what it holds now (the model loaded) and what the run
  /// adds.
  int64_t peak_bytes() const { return process_bytes + device_weight_bytes + scratch_bytes + output_bytes; }
  MemoryMode mode() const { return streaming ? MemoryMode::STREAMING : MemoryMode::WHOLE_SEQUENCE; }
  /// One line for the log: mode, tile and the parts of the predicted peak, against the memory allowed.
  std::string summary() const;
};

/// "1.5 GB", "230 MB", "12 KB" (decimal units, as the plan prints them).
std::string format_bytes(int64_t bytes);

/// The plan of one memory mode, whether or not it fits (allowed_bytes filled in, for comparison).
MemoryPlan measure_plan(const CaduceusWeights& weights, const PlanRequest& request, bool streaming);

/// Plans a run of `weights` for `request`: the whole-sequence mode when it fits (it is the faster), else the
/// streaming one. @throws ConfigError naming --window, --batch, --tile or --max-memory when no mode fits.
MemoryPlan plan_memory(const CaduceusWeights& weights, const PlanRequest& request);

}  // namespace genomamba::model
