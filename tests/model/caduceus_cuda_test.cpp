// The whole forward on a GPU: the float64 reference on every golden fixture, agreement with the CPU engine (up
// to a million tokens), chunk-count independence, batched = unbatched, and both memory modes. Without a GPU
// every case reports itself skipped (tests/support/skip.h); scripts/gpu-check.sh runs them where one is.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "core/device.h"
#include "io/safetensors.h"
#include "model/caduceus.h"
#include "forward_compare.h"
#include "support/model_fixtures.h"
#include "support/skip.h"
#include "support/tensor_compare.h"
#include "tokenize/dna_tokenizer.h"

using namespace genomamba;
using test::max_relative;
using test::random_ids;

namespace {

// design §5: the fp32 engine within 1e-4 of the float64 reference, on every device.
constexpr double kReferenceTolerance = 1e-4;
// The GPU against the CPU engine: both fp32, differing in summation order only (cuBLAS's GEMM blocking, the
// scan's chunk composition); the CPU engine is within 2.1e-7 of float64 on the fixtures.
constexpr double kDeviceTolerance = 1e-5;

bool gpu_visible() {
  if (core::cuda_device_count() > 0) return true;
  test::skip_test("no CUDA device visible");
  return false;
}

model::ForwardOptions on(core::Device device, const model::Caduceus& m, int64_t tile = 0) {
  return test::all_outputs(m, tile, device);
}

}  // namespace

TEST_CASE("Caduceus on a GPU: matches the float64 reference on every golden fixture", "[cuda][model]") {
  if (!gpu_visible()) return;
  for (const std::string& name : test::model_fixture_names()) {
    for (int64_t tile : {int64_t{0}, int64_t{37}}) {  // one scan call per direction; several tiles
      INFO("fixture " << name << ", tile " << tile);
      const io::SafetensorsFile golden(test::golden_path(name));
      const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
      const std::vector<int32_t> ids = tokenize::encode(golden.metadata().at("sequence"));
      model::ForwardOptions o = on(core::Device::cuda(0), m, tile);
      o.capture_layers.clear();
      for (int k = 0; k <= m.config().n_layer; ++k) o.capture_layers.push_back(k);
      const model::ForwardResult r = m.forward(ids, o);
      const auto check = [&](const core::Matrix& out, const std::string& tensor) {
        const std::vector<float> ref = golden.at(tensor).to_f32();
        const double err = test::relative_error(out.span(), ref);
        INFO("tensor " << tensor << ": relative error " << err);
        CHECK(err <= kReferenceTolerance);
      };
      for (int k = 0; k <= m.config().n_layer; ++k) check(r.layer_hidden.at(k), "hidden_states." + std::to_string(k));
      check(r.final_hidden, "last_hidden_state");
      check(r.logits, "logits");
    }
  }
}

TEST_CASE("Caduceus on a GPU: agrees with the CPU engine up to a million tokens", "[cuda][model]") {
  if (!gpu_visible()) return;
  for (const std::string name : {"ph_tiny", "ps_tiny", "ph_odd"}) {
    for (int64_t L : {int64_t{1}, int64_t{3}, int64_t{4097}, int64_t{1000003}}) {
      INFO("fixture " << name << ", " << L << " tokens");
      const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
      const std::vector<int32_t> ids = random_ids(L, 5);
      const model::ForwardResult cpu = m.forward(ids, on(core::Device::cpu(), m));
      const model::ForwardResult gpu = m.forward(ids, on(core::Device::cuda(0), m));
      const double err = max_relative(gpu, cpu);
      INFO("relative error " << err);
      CHECK(err <= kDeviceTolerance);
    }
  }
}

TEST_CASE("Caduceus on a GPU: tiles, memory modes and composed chunks agree", "[cuda][model]") {
  if (!gpu_visible()) return;
  for (const std::string name : {"ph_tiny", "ps_odd"}) {
    const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
    const std::vector<int32_t> ids = random_ids(3001, 9);
    const model::ForwardResult cpu = m.forward(ids, on(core::Device::cpu(), m));
    for (const model::MemoryMode mode : {model::MemoryMode::WHOLE_SEQUENCE, model::MemoryMode::STREAMING}) {
      for (int64_t tile : {int64_t{1}, int64_t{255}, int64_t{256}, int64_t{1000}, int64_t{0}}) {
        model::ForwardOptions o = on(core::Device::cuda(0), m, tile);
        o.memory = mode;
        INFO("fixture " << name << ", streaming " << (mode == model::MemoryMode::STREAMING) << ", tile " << tile);
        CHECK(max_relative(m.forward(ids, o), cpu) <= kDeviceTolerance);
      }
    }
    for (int64_t chunks = 2; chunks <= 8; ++chunks) {  // chunks shorter than d_conv at the end of the range
      model::ForwardOptions o = on(core::Device::cuda(0), m, 512);
      o.memory = model::MemoryMode::WHOLE_SEQUENCE;
      o.sequence_chunks = chunks;
      INFO("fixture " << name << ", " << chunks << " chunks");
      CHECK(max_relative(m.forward(ids, o), cpu) <= kDeviceTolerance);
    }
  }
}

TEST_CASE("Caduceus on a GPU: a batch gives each sequence the result it gets alone", "[cuda][model]") {
  if (!gpu_visible()) return;
  for (const std::string name : {"ph_tiny", "ps_tiny"}) {
    const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
    const int64_t batch = 5, L = 777;
    const std::vector<int32_t> ids = random_ids(batch * L, 3);
    const model::ForwardOptions o = on(core::Device::cuda(0), m);
    const std::vector<model::ForwardResult> together = m.forward_batch(ids, batch, o);
    REQUIRE(together.size() == static_cast<size_t>(batch));
    for (int64_t b = 0; b < batch; ++b) {
      INFO("fixture " << name << ", sequence " << b);
      const model::ForwardResult alone =
          m.forward(std::span<const int32_t>(ids).subspan(static_cast<size_t>(b * L), static_cast<size_t>(L)), o);
      // cuBLAS may pick another GEMM kernel for a batched call: agreement to fp32 rounding, not to the bit.
      CHECK(max_relative(together[static_cast<size_t>(b)], alone) <= 1e-6);
    }
  }
}
