#include "model/memory_plan.h"

#include <algorithm>
#include <cstdio>

#include "core/device.h"
#include "core/error.h"
#include "core/resources.h"
#include "model/device_weights.h"
#include "model/engine.h"

namespace genomamba::model {
namespace {

int64_t host_weight_bytes(const CaduceusWeights& w) {
  size_t floats = w.embedding.size() + w.norm_f.size();
  for (const LayerWeights& l : w.layers) {
    floats += l.norm.size() + l.in_proj.size() + l.out_proj.size();
    for (const MambaDirectionWeights* d : {&l.fwd, &l.rev}) {
      floats += d->conv_weight.size() + d->conv_bias.size() + d->x_proj.size() + d->dt_proj.size() +
                d->dt_bias.size() + d->A.size() + d->D.size();
    }
  }
  return static_cast<int64_t>(floats * sizeof(float));
}

}  // namespace

MemoryPlan measure_plan(const CaduceusWeights& weights, const PlanRequest& r, bool streaming) {
  const io::ModelConfig& c = weights.config;
  MemoryPlan plan;
  plan.streaming = streaming;
  plan.on_gpu = !r.device.is_cpu();
  plan.ranks = std::max<int64_t>(r.ranks, 1);
  plan.rank_tokens = (r.window + plan.ranks - 1) / plan.ranks;
  const int64_t window = plan.rank_tokens;
  const int64_t tile = r.tile > 0 ? r.tile : default_tile(r.device);
  plan.tile = std::max<int64_t>(1, std::min(tile, std::max<int64_t>(window, 1)));
  plan.forward_batch = std::clamp<int64_t>(kBatchTokens / std::max<int64_t>(window, 1), 1, std::max<int64_t>(r.batch, 1));
  plan.host_weight_bytes = host_weight_bytes(weights);
  plan.device_weight_bytes = static_cast<int64_t>(DeviceWeights::bytes_for(weights, r.device));
  EngineOptions engine;
  engine.device = r.device, engine.dtype = r.dtype, engine.batch = plan.forward_batch, engine.max_tokens = window;
  engine.tile = tile, engine.memory = streaming ? MemoryMode::STREAMING : MemoryMode::WHOLE_SEQUENCE;
  engine.logits = r.want_logits;
  plan.scratch_bytes = static_cast<int64_t>(Engine::scratch_bytes(c, engine));
  // Per sequence and token, in floats: the results of each pass (final hidden state, logits, captures), and on
  // the CPU the first stream's h of a forward, held outside the arena; for one PH sequence it becomes the
  // final hidden state of the result (handed over, not copied), so it is not counted twice.
  const int64_t D = c.d_model, W = c.rcps ? 2 * D : D, V = c.vocab_size;
  const int64_t per_pass = (r.want_final_hidden ? W : 0) + (r.want_logits ? V : 0) + r.captures * W;
  const int64_t batch = std::max<int64_t>(r.batch, 1);
  int64_t floats = batch * window * per_pass * r.passes;
  const bool handed_over = !c.rcps && plan.forward_batch == 1 && r.want_final_hidden;
  if (r.device.is_cpu() && !handed_over) floats += plan.forward_batch * window * D;
  plan.output_bytes = floats * static_cast<int64_t>(sizeof(float)) + r.command_bytes / plan.ranks;
  const int64_t host_allowed = core::memory_limit_bytes() / 10 * 9;
  if (plan.on_gpu) {
    plan.allowed_bytes = r.max_bytes > 0 ? r.max_bytes : core::cuda_memory_info(r.device.index).free_bytes / 10 * 9;
    plan.host_allowed_bytes = host_allowed;
  } else {
    plan.allowed_bytes = r.max_bytes > 0 ? r.max_bytes : host_allowed;
  }
  plan.process_bytes = std::max<int64_t>(0, core::current_rss_bytes());
  return plan;
}

std::string format_bytes(int64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1000.0 && unit < 4) value /= 1000.0, ++unit;
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.3g %s", value, units[unit]);
  return text;
}

std::string MemoryPlan::summary() const {
  const std::string head = std::string("memory plan: ") + (streaming ? "streaming" : "whole-sequence") +
                           " mode, tile " + std::to_string(tile) + ", " + std::to_string(forward_batch) +
                           " sequence(s) per forward" +
                           (ranks > 1 ? ", " + std::to_string(rank_tokens) + " tokens on each of " +
                                            std::to_string(ranks) + " ranks"
                                      : std::string());
  if (on_gpu) {
    return head + "; predicted peak GPU memory " + format_bytes(peak_bytes()) + " = weights " +
           format_bytes(device_weight_bytes) + " + scratch " + format_bytes(scratch_bytes) + " of " +
           format_bytes(allowed_bytes) + " allowed; host: model " + format_bytes(host_weight_bytes) +
           " + outputs " + format_bytes(output_bytes) + " of " + format_bytes(host_allowed_bytes) + " allowed";
  }
  return head + "; predicted peak " + format_bytes(peak_bytes()) + " = process " + format_bytes(process_bytes) +
         " + device weights " + format_bytes(device_weight_bytes) + " + scratch " + format_bytes(scratch_bytes) +
         " + outputs " + format_bytes(output_bytes) + "; the run needs " + format_bytes(run_bytes()) + " of " +
         format_bytes(allowed_bytes) + " allowed";
}

MemoryPlan plan_memory(const CaduceusWeights& weights, const PlanRequest& r) {
  GM_CHECK(r.window >= 0 && r.batch >= 1 && r.tile >= 0 && r.passes >= 1 && r.ranks >= 1,
           "plan_memory: inconsistent request");
  std::vector<bool> modes;  // in order of speed; ranks run in the whole-sequence mode only (bimamba_layer.h)
  if (r.memory != MemoryMode::STREAMING) modes.push_back(false);
  if (r.memory != MemoryMode::WHOLE_SEQUENCE && r.ranks == 1) modes.push_back(true);
  if (modes.empty()) throw ConfigError("sequence parallelism over ranks needs the whole-sequence memory mode");
  MemoryPlan best;
  for (bool streaming : modes) {
    // The process's own memory counts only as the model already loaded does: what is decided on is what the
    // run adds, so the same run plans the same way whatever else the process holds.
    MemoryPlan plan = measure_plan(weights, r, streaming);
    if (plan.fits()) return plan;
    best = plan;
  }
  const std::string fix = std::string("lower --window") + (best.streaming ? ", --batch or --tile" : " or --batch") +
                          (r.ranks > 1 ? ", use more ranks" : "");
  const std::string shape = std::to_string(r.window) + " tokens x " + std::to_string(r.batch) + " sequence(s)";
  const std::string mode = best.streaming ? "streaming" : "whole-sequence";
  if (best.on_gpu && best.run_bytes() <= best.allowed_bytes) {  // the GPU has room, the host does not
    throw ConfigError("memory plan: " + shape + " need " + format_bytes(best.host_bytes()) +
                      " of host memory for the model and the outputs, more than the " +
                      format_bytes(best.host_allowed_bytes) + " allowed (90% of this machine's memory); " + fix);
  }
  const std::string where = best.on_gpu ? r.device.name() + "'s" : "this machine's";
  const std::string how = r.max_bytes > 0 ? "--max-memory" : "90% of " + where + " " +
                                                                  (best.on_gpu ? "free memory" : "memory") +
                                                                  "; see --max-memory";
  throw ConfigError("memory plan: " + shape + " need " + format_bytes(best.run_bytes()) +
                    (best.on_gpu ? " of " + r.device.name() + " memory" : std::string()) + " in the " + mode +
                    " mode (weights " + format_bytes(best.on_gpu ? best.device_weight_bytes
                                                                 : best.host_weight_bytes + best.device_weight_bytes) +
                    ", scratch " + format_bytes(best.scratch_bytes) +
                    (best.on_gpu ? std::string() : ", outputs " + format_bytes(best.output_bytes)) +
                    "), more than the " + format_bytes(best.allowed_bytes) + " allowed (" + how + "); " + fix +
                    ", or raise --max-memory");
}

int64_t ranks_needed(const CaduceusWeights& weights, const PlanRequest& request) {
  const auto fits = [&](int64_t ranks) {
    PlanRequest r = request;
    r.ranks = ranks;
    for (bool streaming : {false, true}) {
      if (r.memory == (streaming ? MemoryMode::WHOLE_SEQUENCE : MemoryMode::STREAMING)) continue;
      if (streaming && ranks > 1) continue;  // ranks run in the whole-sequence mode only
      if (measure_plan(weights, r, streaming).fits()) return true;
    }
    return false;
  };
  constexpr int64_t kMostRanks = 65536;
  int64_t high = 1;  // doubling to a count that fits, then bisection below it
  while (high <= kMostRanks && !fits(high)) high *= 2;
  if (high > kMostRanks) return 0;
  int64_t low = high / 2;  // does not fit (or 0)
  while (high - low > 1) {
    const int64_t mid = (low + high) / 2;
    (fits(mid) ? high : low) = mid;
  }
  return high;
}

}  // namespace genomamba::model
