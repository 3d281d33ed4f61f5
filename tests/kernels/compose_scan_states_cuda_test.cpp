// The CUDA chunk composition of the chunked scan, through the op's dispatcher, against the CPU op (the
// reference path): 1..8 chunks, with and without an initial state, with either output absent. Agreement within
// 1e-6 relative (the device expf and FMA contraction differ by ulps). GPU outputs are filled with NaN first, so
// an element the kernel fails to write fails the comparison. Without a GPU the test reports itself skipped
// (tests/support/skip.h).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "core/buffer.h"
#include "ops/compose_scan_states.h"
#include "support/skip.h"
#include "support/tensor_compare.h"

using namespace genomamba;

TEST_CASE("compose_scan_states_cuda: matches the CPU op", "[cuda][ops]") {
  if (core::cuda_device_count() == 0) {
    test::skip_test("no CUDA device visible");
    return;
  }
  const int64_t chunks = GENERATE(range(1, 9));
  const auto [with_initial, want_incoming, want_final] = GENERATE(table<bool, bool, bool>(
      {{false, true, true}, {true, true, true}, {true, false, true}, {false, true, false}, {true, true, false}}));
  CAPTURE(chunks, with_initial, want_incoming, want_final);
  const int64_t Di = 300, N = 16, DN = Di * N;
  std::mt19937 rng(29);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<float> uniform(0.05f, 2.0f);
  auto values = [&](size_t n, auto&& draw) {
    std::vector<float> v(n);
    for (auto& e : v) e = draw();
    return v;
  };
  // A = -exp(A_log) < 0, ΣΔ > 0 (sums of softplus outputs), states of either sign, never zero.
  const auto A = values(static_cast<size_t>(DN), [&] { return -std::exp(0.5f * normal(rng)); });
  const auto delta_sum = values(static_cast<size_t>(chunks * Di), [&] { return uniform(rng); });
  const auto nonzero = [&] {
    const float v = normal(rng);
    return v == 0.0f ? 1.0f : v;
  };
  const auto chunk_final = values(static_cast<size_t>(chunks * DN), nonzero);
  const auto initial = values(static_cast<size_t>(DN), nonzero);

  const size_t n_incoming = static_cast<size_t>(chunks * DN);
  std::vector<float> cpu_incoming(n_incoming), cpu_final(static_cast<size_t>(DN));
  ops::ComposeScanStatesParams p;
  p.n_chunks = chunks, p.d_inner = Di, p.d_state = N;
  p.A = A.data(), p.initial = with_initial ? initial.data() : nullptr;
  p.chunk_final = chunk_final.data(), p.delta_sum = delta_sum.data();
  p.incoming = want_incoming ? cpu_incoming.data() : nullptr, p.final_state = want_final ? cpu_final.data() : nullptr;
  ops::compose_scan_states(p);

  const core::Device gpu = core::Device::cuda(0);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  core::Buffer d_A = core::Buffer::from_host(gpu, A), d_initial = core::Buffer::from_host(gpu, initial);
  core::Buffer d_chunk_final = core::Buffer::from_host(gpu, chunk_final);
  core::Buffer d_delta_sum = core::Buffer::from_host(gpu, delta_sum);
  core::Buffer d_incoming = core::Buffer::from_host(gpu, std::vector<float>(n_incoming, nan));
  core::Buffer d_final = core::Buffer::from_host(gpu, std::vector<float>(static_cast<size_t>(DN), nan));
  ops::ComposeScanStatesParams g = p;
  g.A = d_A.f32(), g.initial = with_initial ? d_initial.f32() : nullptr;
  g.chunk_final = d_chunk_final.f32(), g.delta_sum = d_delta_sum.f32();
  g.incoming = want_incoming ? d_incoming.f32() : nullptr, g.final_state = want_final ? d_final.f32() : nullptr;
  g.ctx.device = gpu;
  ops::compose_scan_states(g);

  if (want_incoming) {
    std::vector<float> gpu_incoming(n_incoming);
    d_incoming.copy_to_host(gpu_incoming);
    CHECK(test::relative_error(gpu_incoming, cpu_incoming) <= 1e-6);
  }
  if (want_final) {
    std::vector<float> gpu_final(static_cast<size_t>(DN));
    d_final.copy_to_host(gpu_final);
    CHECK(test::relative_error(gpu_final, cpu_final) <= 1e-6);
  }
}
