// The chunk-parallel CUDA selective scan (kernels/selective_scan.cu), through the op's dispatcher, against the
// CPU op (the reference path): tiles shorter than, equal to and longer than a chunk (ops/scan_chunking.h), several
// sequences, B and C as column slices of a wider x_dbl, z inside a wider xz, negative z/out strides (the
// reverse direction), accumulate, a carried-in state, delta_sum and the state_only correction pass. Without a
// GPU every test case reports itself skipped (tests/support/skip.h: CTest lists it as skipped).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "core/buffer.h"
#include "core/error.h"
#include "ops/scan_chunking.h"
#include "ops/selective_scan.h"
#include "support/skip.h"
#include "support/tensor_compare.h"

using namespace genomamba;

namespace {

constexpr int64_t kR = 3;           // dt_rank columns of x_dbl before B
constexpr int64_t kOutPad = 5;      // out rows are wider than Di: the padding must stay untouched
constexpr int64_t kStatePad = 7;    // gaps between the sequences' states
constexpr int64_t kDeltaSumPad = 3;  // and delta sums
constexpr float kSentinel = 12345.0f;

struct Mode {
  bool accumulate, state_only, delta_sum, zero_state;
};

std::vector<float> uniform(size_t n, std::mt19937& rng, float lo, float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (auto& e : v) e = dist(rng);
  return v;
}

/// One problem: B sequences of T tokens, their inputs in the engine's layouts (host memory).
struct Problem {
  int64_t T, N, Di, batch;
  bool reverse;
  int64_t W, out_w, state_bs, ds_bs;
  std::vector<float> u, delta_raw, x_dbl, xz, delta_bias, A, D;

  Problem(int64_t T_, int64_t N_, int64_t Di_, int64_t batch_, bool reverse_, uint32_t seed)
      : T(T_), N(N_), Di(Di_), batch(batch_), reverse(reverse_) {
    W = kR + 2 * N + 2;  // bc_stride > 2N: B and C are column slices
    out_w = Di + kOutPad;
    state_bs = Di * N + kStatePad;
    ds_bs = Di + kDeltaSumPad;
    std::mt19937 rng(seed);
    u = uniform(static_cast<size_t>(batch * T * Di), rng, -2.0f, 2.0f);
    delta_raw = uniform(static_cast<size_t>(batch * T * Di), rng, -4.0f, 0.0f);
    if (T > 7) delta_raw[static_cast<size_t>(7 * Di + 1)] = 30.0f;  // exercises the softplus threshold
    x_dbl = uniform(static_cast<size_t>(batch * T * W), rng, -1.0f, 1.0f);
    xz = uniform(static_cast<size_t>(batch * T * 2 * Di), rng, -3.0f, 3.0f);
    delta_bias = uniform(static_cast<size_t>(Di), rng, -7.0f, -2.0f);
    const auto noise = uniform(static_cast<size_t>(Di * N), rng, -0.2f, 0.2f);
    A.resize(static_cast<size_t>(Di * N));
    for (int64_t d = 0; d < Di; ++d)
      for (int64_t n = 0; n < N; ++n)
        A[d * N + n] = -std::exp(std::log(static_cast<float>(n + 1)) + noise[d * N + n]);
    D = uniform(static_cast<size_t>(Di), rng, -1.0f, 1.0f);
  }

  size_t out_floats() const { return static_cast<size_t>(batch * T * out_w); }
  size_t state_floats() const { return static_cast<size_t>(batch * state_bs); }
  size_t delta_sum_floats() const { return static_cast<size_t>(batch * ds_bs); }

  /// The op's parameters over these buffers (host or device memory alike).
  ops::SelectiveScanParams params(const Mode& m, const float* u_, const float* dr, const float* xd, const float* xz_,
                                  const float* bias, const float* A_, const float* D_, float* state, float* out,
                                  float* delta_sum) const {
    ops::SelectiveScanParams p;
    p.n_tokens = T, p.d_inner = Di, p.d_state = N;
    p.u = m.state_only ? nullptr : u_;
    p.delta_raw = dr, p.delta_bias = bias, p.A = A_;
    p.B = m.state_only ? nullptr : xd + kR;
    p.C = xd + kR + N, p.bc_stride = W, p.D = D_;
    p.z = xz_ + (reverse ? (T - 1) * 2 * Di : 0) + Di, p.z_stride = reverse ? -2 * Di : 2 * Di;
    p.state = state;
    p.out = out + (reverse ? (T - 1) * out_w : 0), p.out_stride = reverse ? -out_w : out_w;
    p.accumulate = m.accumulate, p.state_only = m.state_only;
    p.delta_sum = m.delta_sum ? delta_sum : nullptr;
    p.n_batch = batch, p.u_batch_stride = T * Di, p.bc_batch_stride = T * W, p.z_batch_stride = T * 2 * Di;
    p.out_batch_stride = T * out_w, p.state_batch_stride = state_bs, p.delta_sum_batch_stride = ds_bs;
    return p;
  }
};

/// The device copies of a problem's inputs.
struct DeviceInputs {
  core::Buffer u, delta_raw, x_dbl, xz, delta_bias, A, D;
  DeviceInputs(core::Device dev, const Problem& pr)
      : u(core::Buffer::from_host(dev, pr.u)),
        delta_raw(core::Buffer::from_host(dev, pr.delta_raw)),
        x_dbl(core::Buffer::from_host(dev, pr.x_dbl)),
        xz(core::Buffer::from_host(dev, pr.xz)),
        delta_bias(core::Buffer::from_host(dev, pr.delta_bias)),
        A(core::Buffer::from_host(dev, pr.A)),
        D(core::Buffer::from_host(dev, pr.D)) {}
};

/// The workspace the op asks for, followed by a guard of sentinels that must survive the call.
struct Workspace {
  static constexpr size_t kGuard = 256;
  size_t bytes;
  core::Buffer buffer;
  Workspace(core::Device dev, size_t bytes_)
      : bytes(bytes_), buffer(core::Buffer::from_host(dev, std::vector<float>(bytes_ / 4 + kGuard, kSentinel))) {}
  bool guard_intact() const {
    std::vector<float> all(bytes / 4 + kGuard);
    buffer.copy_to_host(all);
    for (size_t i = bytes / 4; i < all.size(); ++i)
      if (all[i] != kSentinel) return false;
    return true;
  }
};

bool skip_without_gpu() {
  if (core::cuda_device_count() > 0) return false;
  test::skip_test("no CUDA device visible");
  return true;
}

/// The GPU call's out, state and ΣΔ (device buffers, read back after the kernels) against the CPU op's, and the
/// guard past the workspace untouched.
void check_against_cpu(const core::Buffer& d_out, const core::Buffer& d_state, const core::Buffer& d_ds,
                       const std::vector<float>& cpu_out, const std::vector<float>& cpu_state,
                       const std::vector<float>& cpu_ds, const Workspace& ws) {
  std::vector<float> gpu_out(cpu_out.size()), gpu_state(cpu_state.size()), gpu_ds(cpu_ds.size());
  d_out.copy_to_host(gpu_out);  // cudaMemcpy on the default stream: waits for the kernels
  d_state.copy_to_host(gpu_state);
  d_ds.copy_to_host(gpu_ds);
  CHECK(test::relative_error(gpu_out, cpu_out) <= 1e-5);
  CHECK(test::relative_error(gpu_state, cpu_state) <= 1e-5);
  CHECK(test::relative_error(gpu_ds, cpu_ds) <= 1e-5);
  CHECK(ws.guard_intact());
}

}  // namespace

TEST_CASE("selective_scan_cuda: matches the CPU op", "[cuda][ops]") {
  if (skip_without_gpu()) return;
  const int64_t T = GENERATE(1, 100, 256, 257, 5000);
  const int64_t N = GENERATE(16, 4);
  const int64_t Di = GENERATE(512, 130);
  const int64_t batch = GENERATE(1, 3);
  const bool reverse = GENERATE(false, true);
  CAPTURE(T, N, Di, batch, reverse);

  const core::Device gpu = core::Device::cuda(0);
  const Problem pr(T, N, Di, batch, reverse, static_cast<uint32_t>(T * 7 + N * 3 + Di + batch * 11 + reverse));
  const DeviceInputs in(gpu, pr);
  const int64_t ws_bytes = ops::selective_scan_workspace_bytes(gpu, batch, T, Di, N);
  REQUIRE(ws_bytes == batch * ops::scan_chunk_count(T) * Di * (N + 1) * 4);
  REQUIRE(ops::selective_scan_workspace_bytes(core::Device::cpu(), batch, T, Di, N) == 0);

  const Mode modes[] = {
      {false, false, false, false},  // the first pass over a tile, from a carried-in state
      {true, false, true, false},    // accumulating into out, with delta_sum
      {true, true, true, false},     // the correction pass (state_only), as the engine runs it
      {false, false, true, true},    // from zero state
      {false, true, false, false},   // state_only writing out
  };
  uint32_t seed = 100;
  for (const Mode& m : modes) {
    CAPTURE(m.accumulate, m.state_only, m.delta_sum, m.zero_state);
    std::mt19937 rng(seed++);
    const auto state0 = m.zero_state ? std::vector<float>(pr.state_floats(), 0.0f)
                                     : uniform(pr.state_floats(), rng, -1.0f, 1.0f);
    const auto out0 = uniform(pr.out_floats(), rng, -1.0f, 1.0f);
    const auto ds0 = uniform(pr.delta_sum_floats(), rng, 0.0f, 1.0f);

    // The reference: the CPU op.
    std::vector<float> cpu_state = state0, cpu_out = out0, cpu_ds = ds0;
    ops::SelectiveScanParams cp =
        pr.params(m, pr.u.data(), pr.delta_raw.data(), pr.x_dbl.data(), pr.xz.data(), pr.delta_bias.data(),
                  pr.A.data(), pr.D.data(), cpu_state.data(), cpu_out.data(), cpu_ds.data());
    // The reference gets B even when state_only (it is unused there); the GPU call below passes null for u and
    // B, which the contract allows.
    if (m.state_only) cp.B = pr.x_dbl.data() + kR;
    ops::selective_scan(cp);

    // The GPU, with every output cell poisoned when it is to be overwritten (padding columns keep out0).
    std::vector<float> gpu_out0 = out0;
    if (!m.accumulate)
      for (int64_t r = 0; r < batch * T; ++r)
        for (int64_t d = 0; d < Di; ++d) gpu_out0[r * pr.out_w + d] = std::numeric_limits<float>::quiet_NaN();
    core::Buffer d_state = core::Buffer::from_host(gpu, state0), d_out = core::Buffer::from_host(gpu, gpu_out0);
    core::Buffer d_ds = core::Buffer::from_host(gpu, ds0);
    Workspace ws(gpu, static_cast<size_t>(ws_bytes));
    ops::SelectiveScanParams gp =
        pr.params(m, in.u.f32(), in.delta_raw.f32(), in.x_dbl.f32(), in.xz.f32(), in.delta_bias.f32(), in.A.f32(),
                  in.D.f32(), d_state.f32(), d_out.f32(), d_ds.f32());
    gp.ctx.device = gpu;
    gp.ctx.workspace = ws.buffer.data(), gp.ctx.workspace_bytes = ws.bytes;
    ops::selective_scan(gp);

    check_against_cpu(d_out, d_state, d_ds, cpu_out, cpu_state, cpu_ds, ws);
  }
}

TEST_CASE("selective_scan_cuda: carries the state across calls", "[cuda][ops]") {
  if (skip_without_gpu()) return;
  // One CPU call over 700 tokens against two GPU calls of 300 and 400 (neither a multiple of a chunk).
  const core::Device gpu = core::Device::cuda(0);
  const Problem pr(700, 16, 130, 2, false, 5);
  const Mode m{false, false, true, false};
  std::mt19937 rng(9);
  const auto state0 = uniform(pr.state_floats(), rng, -1.0f, 1.0f);
  const auto ds0 = uniform(pr.delta_sum_floats(), rng, 0.0f, 1.0f);
  std::vector<float> cpu_state = state0, cpu_out(pr.out_floats(), 0.0f), cpu_ds = ds0;
  ops::SelectiveScanParams cp =
      pr.params(m, pr.u.data(), pr.delta_raw.data(), pr.x_dbl.data(), pr.xz.data(), pr.delta_bias.data(),
                pr.A.data(), pr.D.data(), cpu_state.data(), cpu_out.data(), cpu_ds.data());
  ops::selective_scan(cp);

  const DeviceInputs in(gpu, pr);
  core::Buffer d_state = core::Buffer::from_host(gpu, state0), d_ds = core::Buffer::from_host(gpu, ds0);
  core::Buffer d_out(gpu, pr.out_floats() * 4);
  Workspace ws(gpu, static_cast<size_t>(ops::selective_scan_workspace_bytes(gpu, 2, 400, 130, 16)));
  ops::SelectiveScanParams gp =
      pr.params(m, in.u.f32(), in.delta_raw.f32(), in.x_dbl.f32(), in.xz.f32(), in.delta_bias.f32(), in.A.f32(),
                in.D.f32(), d_state.f32(), d_out.f32(), d_ds.f32());
  gp.ctx.device = gpu;
  gp.ctx.workspace = ws.buffer.data(), gp.ctx.workspace_bytes = ws.bytes;
  for (const int64_t t0 : {int64_t{0}, int64_t{300}}) {
    ops::SelectiveScanParams tile = gp;
    tile.n_tokens = t0 == 0 ? 300 : 400;
    tile.u += t0 * pr.Di, tile.delta_raw += t0 * pr.Di;
    tile.B += t0 * pr.W, tile.C += t0 * pr.W;
    tile.z += t0 * tile.z_stride, tile.out += t0 * tile.out_stride;
    ops::selective_scan(tile);
  }
  check_against_cpu(d_out, d_state, d_ds, cpu_out, cpu_state, cpu_ds, ws);
}

TEST_CASE("selective_scan_cuda: refuses a missing or short workspace", "[cuda][ops]") {
  if (skip_without_gpu()) return;
  const core::Device gpu = core::Device::cuda(0);
  const Problem pr(300, 16, 130, 1, false, 3);
  const DeviceInputs in(gpu, pr);
  core::Buffer d_state(gpu, pr.state_floats() * 4), d_out(gpu, pr.out_floats() * 4);
  ops::SelectiveScanParams gp =
      pr.params({false, false, false, false}, in.u.f32(), in.delta_raw.f32(), in.x_dbl.f32(), in.xz.f32(),
                in.delta_bias.f32(), in.A.f32(), in.D.f32(), d_state.f32(), d_out.f32(), nullptr);
  gp.ctx.device = gpu;
  CHECK_THROWS_AS(ops::selective_scan(gp), InternalError);
  const int64_t need = ops::selective_scan_workspace_bytes(gpu, 1, 300, 130, 16);
  core::Buffer ws(gpu, static_cast<size_t>(need));
  gp.ctx.workspace = ws.data(), gp.ctx.workspace_bytes = static_cast<size_t>(need) - 4;
  CHECK_THROWS_AS(ops::selective_scan(gp), InternalError);
  gp.ctx.workspace_bytes = static_cast<size_t>(need);
  CHECK_NOTHROW(ops::selective_scan(gp));
}
