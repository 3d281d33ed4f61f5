// The memory plan (model/memory_plan.h): its scratch figure is the arena the engine allocates, AUTO takes the
// faster whole-sequence mode only when it fits, and a run that fits in no mode is refused naming the flags.
#include <catch2/catch.hpp>

#include "core/error.h"
#include "model/caduceus.h"
#include "model/engine.h"
#include "model/memory_plan.h"
#include "support/model_fixtures.h"

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
