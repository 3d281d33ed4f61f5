// The memory plan (model/memory_plan.h): its scratch figure is the arena the engine allocates, AUTO takes the
// faster whole-sequence mode only when it fits, and a run that fits in no mode is refused naming the flags.
#include <catch2/catch.hpp>

#include "core/device.h"
#include "core/error.h"
#include "model/caduceus.h"
#include "model/engine.h"
#include "model/memory_plan.h"
#include "ops/device_context.h"
#include "support/model_fixtures.h"
#include "support/skip.h"

using namespace genomamba;
using Catch::Contains;

TEST_CASE("plan_memory: the scratch it plans is the arena the engine allocates", "[model]") {
  for (const std::string name : {"ph_odd", "ps_odd"}) {
    const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
    for (bool streaming : {false, true}) {
      for (int64_t window : {int64_t{1}, int64_t{100}, int64_t{5000}}) {
        INFO(name << " streaming " << streaming << " window " << window);
        model::PlanRequest r;
        r.window = window, r.batch = 3, r.tile = 64;
        const model::MemoryPlan plan = model::measure_plan(m.weights(), r, streaming);
        model::EngineOptions o;
        o.batch = plan.forward_batch, o.max_tokens = window, o.tile = 64;
        o.memory = streaming ? model::MemoryMode::STREAMING : model::MemoryMode::WHOLE_SEQUENCE;
        const model::Engine engine(m.weights(), o);
        CHECK(plan.scratch_bytes == static_cast<int64_t>(engine.arena_bytes()));
        CHECK(plan.device_weight_bytes == static_cast<int64_t>(engine.weight_bytes()));
      }
    }
  }
}

TEST_CASE("plan_memory: AUTO takes the whole-sequence mode when it fits, else streaming, else refuses", "[model]") {
  const model::Caduceus m = model::Caduceus::load(test::model_dir("ph_odd"));
  model::PlanRequest r;
  r.window = 200000, r.tile = 256;
  const int64_t whole = model::measure_plan(m.weights(), r, false).run_bytes();
  const int64_t streaming = model::measure_plan(m.weights(), r, true).run_bytes();
  REQUIRE(streaming < whole);
  r.max_bytes = whole;
  CHECK_FALSE(model::plan_memory(m.weights(), r).streaming);
  r.max_bytes = whole - 1;
  CHECK(model::plan_memory(m.weights(), r).streaming);
  r.max_bytes = streaming;
  CHECK(model::plan_memory(m.weights(), r).streaming);
  r.max_bytes = streaming - 1;
  CHECK_THROWS_AS(model::plan_memory(m.weights(), r), ConfigError);
  CHECK_THROWS_WITH(model::plan_memory(m.weights(), r),
                    Contains("200000 tokens") && Contains("--window") && Contains("--max-memory"));
  r.max_bytes = whole - 1;  // a forced mode that does not fit is refused, not changed
  r.memory = model::MemoryMode::WHOLE_SEQUENCE;
  CHECK_THROWS_AS(model::plan_memory(m.weights(), r), ConfigError);
}

TEST_CASE("format_bytes: decimal units", "[model]") {
  CHECK(model::format_bytes(999) == "999 B");
  CHECK(model::format_bytes(1500) == "1.5 KB");
  CHECK(model::format_bytes(3300000000) == "3.3 GB");
}

TEST_CASE("plan_memory on a GPU: device and host memory are planned apart, without the GPU present", "[model]") {
  const model::Caduceus m = model::Caduceus::load(test::model_dir("ph_odd"));
  model::PlanRequest r;
  r.device = core::Device::cuda(0);
  r.window = 10'000'000, r.max_bytes = int64_t{1} << 50;  // a GPU as large as needed: only the host can refuse
  const model::MemoryPlan plan = model::plan_memory(m.weights(), r);
  CHECK(plan.on_gpu);
  CHECK_FALSE(plan.streaming);
  CHECK(plan.tile == model::default_tile(r.device));
  CHECK(plan.run_bytes() == plan.device_weight_bytes + plan.scratch_bytes);  // the GPU's part only
  CHECK(plan.host_bytes() == plan.host_weight_bytes + plan.output_bytes);
  CHECK(plan.peak_bytes() == plan.run_bytes());
  // cuBLAS's workspace is a region of the arena, so the plan counts it.
  CHECK(plan.scratch_bytes >= static_cast<int64_t>(ops::DeviceContext::blas_workspace_bytes(r.device)));
  // Outputs beyond the host's memory are refused as such, naming the flags, even when the GPU has room.
  r.batch = 100'000;
  CHECK_THROWS_WITH(model::plan_memory(m.weights(), r), Contains("of host memory") && Contains("--window"));
  // The GPU's own limit: the streaming mode when the whole sequence does not fit.
  r.batch = 1, r.max_bytes = plan.run_bytes() - 1;
  const model::MemoryPlan streaming = model::plan_memory(m.weights(), r);
  CHECK(streaming.streaming);
  CHECK(streaming.run_bytes() <= r.max_bytes);
  r.max_bytes = streaming.run_bytes() - 1;
  CHECK_THROWS_WITH(model::plan_memory(m.weights(), r), Contains("cuda:0 memory") && Contains("--max-memory"));
}

TEST_CASE("plan_memory: ranks share a sequence, and ranks_needed is the fewest that fit", "[model]") {
  const model::Caduceus m = model::Caduceus::load(test::model_dir("ps_odd"));
  model::PlanRequest r;
  r.window = 1'000'003, r.tile = 512, r.memory = model::MemoryMode::WHOLE_SEQUENCE;
  const model::MemoryPlan one = model::measure_plan(m.weights(), r, false);
  r.ranks = 4;
  const model::MemoryPlan four = model::measure_plan(m.weights(), r, false);
  CHECK(four.rank_tokens == 250'001);
  CHECK(four.scratch_bytes < one.scratch_bytes / 3);
  CHECK(four.output_bytes < one.output_bytes / 3);
  r.ranks = 3;
  r.max_bytes = model::measure_plan(m.weights(), r, false).run_bytes();
  const int64_t needed = model::ranks_needed(m.weights(), r);
  CHECK(needed == 3);
  r.ranks = 2;
  CHECK_THROWS_WITH(model::plan_memory(m.weights(), r), Contains("use more ranks"));
  r.max_bytes = 1000;  // not even the model fits
  CHECK(model::ranks_needed(m.weights(), r) == 0);
}

TEST_CASE("plan_memory on a GPU: the scratch it plans is the arena the GPU engine allocates", "[cuda][model]") {
  if (core::cuda_device_count() == 0) {
    test::skip_test("no CUDA device visible");
    return;
  }
  for (const std::string name : {"ph_odd", "ps_odd"}) {
    const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
    for (bool streaming : {false, true}) {
      INFO(name << " streaming " << streaming);
      model::PlanRequest r;
      r.device = core::Device::cuda(0), r.window = 5000, r.batch = 3, r.want_logits = true;
      const model::MemoryPlan plan = model::measure_plan(m.weights(), r, streaming);
      model::EngineOptions o;
      o.device = r.device, o.batch = plan.forward_batch, o.max_tokens = r.window, o.tile = plan.tile, o.logits = true;
      o.memory = streaming ? model::MemoryMode::STREAMING : model::MemoryMode::WHOLE_SEQUENCE;
      const model::Engine engine(m.weights(), o);
      CHECK(plan.scratch_bytes == static_cast<int64_t>(engine.arena_bytes()));
      CHECK(plan.device_weight_bytes == static_cast<int64_t>(engine.weight_bytes()));
    }
  }
}
