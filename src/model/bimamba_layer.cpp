#include "model/bimamba_layer.h"

#include <algorithm>

#include "core/error.h"
#include "ops/causal_conv1d.h"
#include "ops/linear.h"
#include "ops/selective_scan.h"

namespace genomamba::model {
namespace {

/// Runs one direction over all tiles. Scan token t sits at sequence row t (forward) or L-1-t (reverse);
/// the reverse direction reads x and z and writes y backwards in memory through negative strides.
/// accumulate = false writes y, true adds to it.
void run_direction(const MambaDirectionWeights& w, const io::ModelConfig& c, int64_t L, bool reverse, bool accumulate,
                   BiMambaScratch& s) {
  const int64_t Di = c.d_inner, N = c.d_state, R = c.dt_rank, K = c.d_conv, W = R + 2 * N;
  const int64_t row_sign = reverse ? -1 : 1;
  std::fill(s.history.begin(), s.history.end(), 0.0f);
  std::fill(s.state.begin(), s.state.end(), 0.0f);
  for (int64_t t0 = 0; t0 < L; t0 += s.tile) {
    const int64_t T = std::min(s.tile, L - t0);
    const int64_t row0 = reverse ? L - 1 - t0 : t0;  // sequence row of the tile's first scan token

    ops::CausalConv1dParams conv;  // x: [T, Di] (stride ±2Di) -> u: [T, Di]
    conv.n_tokens = T, conv.channels = Di, conv.width = K;
    conv.x = s.xz.data() + row0 * 2 * Di, conv.x_stride = row_sign * 2 * Di;
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
    sc.z = s.xz.data() + row0 * 2 * Di + Di, sc.z_stride = row_sign * 2 * Di;
    sc.state = s.state.data();
    sc.out = s.y.data() + row0 * Di, sc.out_stride = row_sign * Di, sc.accumulate = accumulate;
    ops::selective_scan(sc);
  }
}

}  // namespace

BiMambaScratch::BiMambaScratch(const io::ModelConfig& c, int64_t max_tokens_, int64_t tile_)
    : max_tokens(max_tokens_), tile(std::max<int64_t>(1, std::min(tile_, max_tokens_))) {
  GM_CHECK(max_tokens_ >= 0, "BiMambaScratch: max_tokens must be >= 0");
  GM_CHECK(tile_ >= 1, "BiMambaScratch: tile must be >= 1");
  const auto Di = static_cast<size_t>(c.d_inner), L = static_cast<size_t>(max_tokens), T = static_cast<size_t>(tile);
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
  if (L == 0) return;
  const int64_t D = c.d_model, Di = c.d_inner;

  ops::LinearParams ip;  // in: [L, D] -> xz: [L, 2Di]; shared by both directions (tied in_proj)
  ip.n_rows = L, ip.in_features = D, ip.out_features = 2 * Di;
  ip.x = in, ip.x_stride = D, ip.weight = w.in_proj.data(), ip.y = s.xz.data(), ip.y_stride = 2 * Di;
  ops::linear(ip);

  run_direction(w.rev, c, L, /*reverse=*/true, /*accumulate=*/false, s);  // y = flip(M_rev(flip(x)))
  run_direction(w.fwd, c, L, /*reverse=*/false, /*accumulate=*/true, s);  // y += M_fwd(x)

  ops::LinearParams op;  // y: [L, Di] -> out: [L, D] (tied out_proj, once on the sum)
  op.n_rows = L, op.in_features = Di, op.out_features = D;
  op.x = s.y.data(), op.x_stride = Di, op.weight = w.out_proj.data(), op.y = out, op.y_stride = D;
  ops::linear(op);
}

}  // namespace genomamba::model
