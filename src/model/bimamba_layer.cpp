#include "model/bimamba_layer.h"

#include <algorithm>

#include "core/error.h"
#include "ops/causal_conv1d.h"
#include "ops/compose_scan_states.h"
#include "ops/linear.h"
#include "ops/selective_scan.h"

namespace genomamba::model {
namespace {

/// y (+)= x W^T over `rows` rows: x: [rows, in] -> y: [rows, out]
void project(const float* x, int64_t in, const std::vector<float>& weight, float* y, int64_t out, int64_t rows,
             bool accumulate) {
  ops::LinearParams p;
  p.n_rows = rows, p.in_features = in, p.out_features = out;
  p.x = x, p.x_stride = in, p.weight = weight.data(), p.y = y, p.y_stride = out, p.accumulate = accumulate;
  ops::linear(p);
}

/// One pass of a direction over scan tokens [t_begin, t_end), in tiles, starting from `carry` (the conv inputs
/// before t_begin and the scan state entering it) and leaving in it what follows t_end - 1. Scan token t sits at
/// sequence row t (forward) or L-1-t (reverse); the reverse direction reads x and z and writes y backwards in
/// memory through negative strides. accumulate = false writes y (streaming: out), true adds to it.
/// state_only runs the correction pass of chunk composition: only the carried state's contribution is added.
/// delta_sum ([Di], or null) collects the sum of the pass's deltas.
/// Streaming mode: the tile's rows of xz come from in_proj of `in` here, and its y goes through out_proj
/// into `out` at once; otherwise xz and y hold the whole sequence.
struct DirectionPass {
  bool reverse = false;
  int64_t t_begin = 0, t_end = 0;
  bool accumulate = false;
  bool state_only = false;
  float* delta_sum = nullptr;
};

void run_direction(const MambaDirectionWeights& w, const LayerWeights& lw, const io::ModelConfig& c, const float* in,
                   float* out, int64_t L, const DirectionPass& pass, BiMambaScratch::Carry& carry, BiMambaScratch& s) {
  const int64_t Di = c.d_inner, N = c.d_state, R = c.dt_rank, K = c.d_conv, W = R + 2 * N;
  const int64_t row_sign = pass.reverse ? -1 : 1;
  for (int64_t t0 = pass.t_begin; t0 < pass.t_end; t0 += s.tile) {
    const int64_t T = std::min(s.tile, pass.t_end - t0);
    const int64_t row0 = pass.reverse ? L - 1 - t0 : t0;  // sequence row of the tile's first scan token
    const int64_t low = pass.reverse ? row0 - T + 1 : row0;  // the tile's lowest sequence row
    // Sequence row r of xz and y lives at buffer row r - base: the whole sequence, or just this tile.
    const int64_t base = s.streaming ? low : 0;
    if (s.streaming) project(in + low * c.d_model, c.d_model, lw.in_proj, s.xz.data(), 2 * Di, T, false);

    ops::CausalConv1dParams conv;  // x: [T, Di] (stride ±2Di) -> u: [T, Di]
    conv.n_tokens = T, conv.channels = Di, conv.width = K;
    conv.x = s.xz.data() + (row0 - base) * 2 * Di, conv.x_stride = row_sign * 2 * Di;
    conv.weight = w.conv_weight.data(), conv.bias = w.conv_bias.data(), conv.history = carry.history.data();
    conv.out = s.u.data();
    ops::causal_conv1d(conv);

    ops::LinearParams xp;  // u: [T, Di] -> x_dbl: [T, R + 2N]
    xp.n_rows = T, xp.in_features = Di, xp.out_features = W;
    xp.x = s.u.data(), xp.x_stride = Di, xp.weight = w.x_proj.data(), xp.y = s.x_dbl.data(), xp.y_stride = W;
    ops::linear(xp);

    ops::LinearParams dp;  // dt = x_dbl[:, 0..R-1]: [T, R] -> delta_raw: [T, Di]
    dp.n_rows = T, dp.in_features = R, dp.out_features = Di;
    dp.x = s.x_dbl.data(), dp.x_stride = W, dp.weight = w.dt_proj.data(), dp.y = s.delta.data(), dp.y_stride = Di;
    ops::linear(dp);

    ops::SelectiveScanParams sc;  // (u, delta, B, C, z) -> y: [T, Di] (stride ±Di)
    sc.n_tokens = T, sc.d_inner = Di, sc.d_state = N;
    sc.u = s.u.data(), sc.delta_raw = s.delta.data(), sc.delta_bias = w.dt_bias.data(), sc.A = w.A.data();
    sc.B = s.x_dbl.data() + R, sc.C = s.x_dbl.data() + R + N, sc.bc_stride = W, sc.D = w.D.data();
    sc.z = s.xz.data() + (row0 - base) * 2 * Di + Di, sc.z_stride = row_sign * 2 * Di;
    sc.state = carry.state.data();
    sc.out = s.y.data() + (row0 - base) * Di, sc.out_stride = row_sign * Di;
    sc.accumulate = pass.accumulate && !s.streaming;
    sc.delta_sum = pass.delta_sum, sc.state_only = pass.state_only;
    ops::selective_scan(sc);

    // out rows of the tile (+)= y_tile out_proj^T
    if (s.streaming) project(s.y.data(), Di, lw.out_proj, out + low * c.d_model, c.d_model, T, pass.accumulate);
  }
}

/// A whole direction in one piece, from zero conv history and state.
void run_direction_whole(const MambaDirectionWeights& w, const LayerWeights& lw, const io::ModelConfig& c,
                         const float* in, float* out, int64_t L, bool reverse, bool accumulate, BiMambaScratch& s) {
  BiMambaScratch::Carry& carry = reverse ? s.reverse_carry : s.forward_carry;
  std::fill(carry.history.begin(), carry.history.end(), 0.0f);
  std::fill(carry.state.begin(), carry.state.end(), 0.0f);
  DirectionPass pass;
  pass.reverse = reverse, pass.t_begin = 0, pass.t_end = L, pass.accumulate = accumulate;
  run_direction(w, lw, c, in, out, L, pass, carry, s);
}

/// A whole direction as s.chunks composed chunks (whole-sequence mode): each chunk is scanned from zero state
/// with the true conv inputs before it (its halo), keeping its final state and delta sum; the summaries are
/// composed into the state entering each chunk; a state-only pass per chunk then adds that state's part.
void run_direction_chunked(const MambaDirectionWeights& w, const LayerWeights& lw, const io::ModelConfig& c,
                           int64_t L, bool reverse, bool accumulate, BiMambaScratch& s) {
  const int64_t Di = c.d_inner, N = c.d_state, halo = c.d_conv - 1, n_chunks = s.chunks;
  BiMambaScratch::Carry& carry = reverse ? s.reverse_carry : s.forward_carry;
  const auto begin = [&](int64_t k) { return k * L / n_chunks; };  // scan tokens [begin(k), begin(k + 1))
  // The conv inputs before scan token t0 (zero before the sequence): x of scan tokens t0 - halo .. t0 - 1.
  const auto load_halo = [&](int64_t t0) {
    for (int64_t j = 0; j < halo; ++j) {
      const int64_t t = t0 - halo + j;
      float* dst = carry.history.data() + j * Di;
      if (t < 0) {
        std::fill_n(dst, Di, 0.0f);
      } else {
        std::copy_n(s.xz.data() + (reverse ? L - 1 - t : t) * 2 * Di, Di, dst);
      }
    }
  };
  std::fill(s.chunk_delta_sum.begin(), s.chunk_delta_sum.end(), 0.0f);
  for (int64_t k = 0; k < n_chunks; ++k) {  // pass 1: each chunk from zero state
    load_halo(begin(k));
    std::fill(carry.state.begin(), carry.state.end(), 0.0f);
    DirectionPass pass;
    pass.reverse = reverse, pass.t_begin = begin(k), pass.t_end = begin(k + 1), pass.accumulate = accumulate;
    pass.delta_sum = s.chunk_delta_sum.data() + k * Di;
    run_direction(w, lw, c, nullptr, nullptr, L, pass, carry, s);
    std::copy(carry.state.begin(), carry.state.end(), s.chunk_final.begin() + k * Di * N);
  }
  ops::ComposeScanStatesParams compose;  // summaries -> the state entering each chunk
  compose.n_chunks = n_chunks, compose.d_inner = Di, compose.d_state = N, compose.A = w.A.data();
  compose.chunk_final = s.chunk_final.data(), compose.delta_sum = s.chunk_delta_sum.data();
  compose.incoming = s.chunk_incoming.data();
  ops::compose_scan_states(compose);
  for (int64_t k = 1; k < n_chunks; ++k) {  // pass 2: the incoming state's contribution (chunk 0 has none)
    load_halo(begin(k));
    std::copy_n(s.chunk_incoming.begin() + k * Di * N, Di * N, carry.state.begin());
    DirectionPass pass;
    pass.reverse = reverse, pass.t_begin = begin(k), pass.t_end = begin(k + 1), pass.accumulate = true;
    pass.state_only = true;
    run_direction(w, lw, c, nullptr, nullptr, L, pass, carry, s);
  }
}

}  // namespace

BiMambaScratch::BiMambaScratch(const io::ModelConfig& c, int64_t max_tokens_, int64_t tile_, bool streaming_,
                               int64_t chunks_)
    : max_tokens(max_tokens_),
      tile(std::max<int64_t>(1, std::min(tile_, max_tokens_))),
      streaming(streaming_),
      chunks(chunks_) {
  GM_CHECK(max_tokens_ >= 0, "BiMambaScratch: max_tokens must be >= 0");
  GM_CHECK(tile_ >= 1, "BiMambaScratch: tile must be >= 1");
  GM_CHECK(chunks_ >= 1, "BiMambaScratch: chunks must be >= 1");
  GM_CHECK(chunks_ == 1 || !streaming_, "BiMambaScratch: chunk composition needs the whole-sequence mode");
  const auto Di = static_cast<size_t>(c.d_inner), T = static_cast<size_t>(tile);
  const size_t L = streaming ? T : static_cast<size_t>(max_tokens);
  xz.resize(L * 2 * Di);
  y.resize(L * Di);
  u.resize(T * Di);
  x_dbl.resize(T * static_cast<size_t>(c.dt_rank + 2 * c.d_state));
  delta.resize(T * Di);
  for (Carry* carry : {&forward_carry, &reverse_carry}) {
    carry->history.resize(static_cast<size_t>(std::max(c.d_conv - 1, 0)) * Di);
    carry->state.resize(Di * static_cast<size_t>(c.d_state));
  }
  if (chunks > 1) {
    const auto K = static_cast<size_t>(chunks);
    chunk_final.resize(K * Di * static_cast<size_t>(c.d_state));
    chunk_incoming.resize(chunk_final.size());
    chunk_delta_sum.resize(K * Di);
  }
}

void bimamba_forward(const LayerWeights& w, const io::ModelConfig& c, const float* in, float* out, int64_t L,
                     BiMambaScratch& s) {
  GM_CHECK(L >= 0 && L <= s.max_tokens, "bimamba_forward: n_tokens must be in 0..scratch.max_tokens");
  GM_CHECK(!s.streaming || in != out, "bimamba_forward: in and out must differ in the streaming mode");
  if (L == 0) return;
  const int64_t D = c.d_model, Di = c.d_inner;
  if (s.streaming) {
    run_direction_whole(w.rev, w, c, in, out, L, /*reverse=*/true, /*accumulate=*/false, s);  // out = out_proj(y_rev)
    run_direction_whole(w.fwd, w, c, in, out, L, /*reverse=*/false, /*accumulate=*/true, s);  // out += out_proj(y_fwd)
    return;
  }

  project(in, D, w.in_proj, s.xz.data(), 2 * Di, L, false);  // in: [L, D] -> xz: [L, 2Di], shared (tied in_proj)

  if (s.chunks > 1) {
    run_direction_chunked(w.rev, w, c, L, /*reverse=*/true, /*accumulate=*/false, s);
    run_direction_chunked(w.fwd, w, c, L, /*reverse=*/false, /*accumulate=*/true, s);
  } else {
    run_direction_whole(w.rev, w, c, in, out, L, /*reverse=*/true, /*accumulate=*/false, s);  // y = flip(M_rev(flip(x)))
    run_direction_whole(w.fwd, w, c, in, out, L, /*reverse=*/false, /*accumulate=*/true, s);  // y += M_fwd(x)
  }

  project(s.y.data(), Di, w.out_proj, out, D, L, false);  // y: [L, Di] -> out: [L, D] (tied out_proj, once on the sum)
}

}  // namespace genomamba::model
