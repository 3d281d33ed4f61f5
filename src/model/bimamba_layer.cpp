#include "model/bimamba_layer.h"

#include <algorithm>

#include "core/error.h"
#include "ops/causal_conv1d.h"
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

/// Runs one direction over all tiles. Scan token t sits at sequence row t (forward) or L-1-t (reverse);
/// the reverse direction reads x and z and writes y backwards in memory through negative strides.
/// accumulate = false writes y (streaming: out), true adds to it.
/// Streaming mode: the tile's rows of xz come from in_proj of `in` here, and its y goes through out_proj
/// into `out` at once; otherwise xz and y hold the whole sequence.
void run_direction(const MambaDirectionWeights& w, const LayerWeights& lw, const io::ModelConfig& c, const float* in,
                   float* out, int64_t L, bool reverse, bool accumulate, BiMambaScratch& s) {
  const int64_t Di = c.d_inner, N = c.d_state, R = c.dt_rank, K = c.d_conv, W = R + 2 * N;
  const int64_t row_sign = reverse ? -1 : 1;
  std::fill(s.history.begin(), s.history.end(), 0.0f);
  std::fill(s.state.begin(), s.state.end(), 0.0f);
  for (int64_t t0 = 0; t0 < L; t0 += s.tile) {
    const int64_t T = std::min(s.tile, L - t0);
    const int64_t row0 = reverse ? L - 1 - t0 : t0;  // sequence row of the tile's first scan token
    const int64_t low = reverse ? row0 - T + 1 : row0;  // the tile's lowest sequence row
    // Sequence row r of xz and y lives at buffer row r - base: the whole sequence, or just this tile.
    const int64_t base = s.streaming ? low : 0;
    if (s.streaming) project(in + low * c.d_model, c.d_model, lw.in_proj, s.xz.data(), 2 * Di, T, false);

    ops::CausalConv1dParams conv;  // x: [T, Di] (stride ±2Di) -> u: [T, Di]
    conv.n_tokens = T, conv.channels = Di, conv.width = K;
    conv.x = s.xz.data() + (row0 - base) * 2 * Di, conv.x_stride = row_sign * 2 * Di;
    conv.weight = w.conv_weight.data(), conv.bias = w.conv_bias.data(), conv.history = s.history.data();
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
    sc.state = s.state.data();
    sc.out = s.y.data() + (row0 - base) * Di, sc.out_stride = row_sign * Di;
    sc.accumulate = accumulate && !s.streaming;
    ops::selective_scan(sc);

    // out rows of the tile (+)= y_tile out_proj^T
    if (s.streaming) project(s.y.data(), Di, lw.out_proj, out + low * c.d_model, c.d_model, T, accumulate);
  }
}

}  // namespace

BiMambaScratch::BiMambaScratch(const io::ModelConfig& c, int64_t max_tokens_, int64_t tile_, bool streaming_)
    : max_tokens(max_tokens_), tile(std::max<int64_t>(1, std::min(tile_, max_tokens_))), streaming(streaming_) {
  GM_CHECK(max_tokens_ >= 0, "BiMambaScratch: max_tokens must be >= 0");
  GM_CHECK(tile_ >= 1, "BiMambaScratch: tile must be >= 1");
  const auto Di = static_cast<size_t>(c.d_inner), T = static_cast<size_t>(tile);
  const size_t L = streaming ? T : static_cast<size_t>(max_tokens);
  xz.resize(L * 2 * Di);
  y.resize(L * Di);
  u.resize(T * Di);
  x_dbl.resize(T * static_cast<size_t>(c.dt_rank + 2 * c.d_state));
  delta.resize(T * Di);
  history.resize(static_cast<size_t>(std::max(c.d_conv - 1, 0)) * Di);
  state.resize(Di * static_cast<size_t>(c.d_state));
}

void bimamba_forward(const LayerWeights& w, const io::ModelConfig& c, const float* in, float* out, int64_t L,
                     BiMambaScratch& s) {
  GM_CHECK(L >= 0 && L <= s.max_tokens, "bimamba_forward: n_tokens must be in 0..scratch.max_tokens");
  GM_CHECK(!s.streaming || in != out, "bimamba_forward: in and out must differ in the streaming mode");
  if (L == 0) return;
  const int64_t D = c.d_model, Di = c.d_inner;
  if (s.streaming) {
    run_direction(w.rev, w, c, in, out, L, /*reverse=*/true, /*accumulate=*/false, s);  // out = out_proj(y_rev)
    run_direction(w.fwd, w, c, in, out, L, /*reverse=*/false, /*accumulate=*/true, s);  // out += out_proj(y_fwd)
    return;
  }

  project(in, D, w.in_proj, s.xz.data(), 2 * Di, L, false);  // in: [L, D] -> xz: [L, 2Di], shared (tied in_proj)

  run_direction(w.rev, w, c, in, out, L, /*reverse=*/true, /*accumulate=*/false, s);  // y = flip(M_rev(flip(x)))
  run_direction(w.fwd, w, c, in, out, L, /*reverse=*/false, /*accumulate=*/true, s);  // y += M_fwd(x)

  project(s.y.data(), Di, w.out_proj, out, D, L, false);  // y: [L, Di] -> out: [L, D] (tied out_proj, once on the sum)
}

}  // namespace genomamba::model
