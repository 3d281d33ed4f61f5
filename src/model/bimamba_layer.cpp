#include "model/bimamba_layer.h"

#include <algorithm>
#include <vector>

#include "core/buffer.h"
#include "core/error.h"
#include "ops/causal_conv1d.h"
#include "ops/compose_scan_states.h"
#include "ops/linear.h"
#include "ops/selective_scan.h"

namespace genomamba::model {
namespace {

/// The shapes of one mixer call and where a sequence's rows of xz and y start.
struct Call {
  const io::ModelConfig& c;
  const ops::ExecContext& ctx;
  int64_t batch, L;
  MixerScratch& s;
  const float* in;  // [B, L, D]
  float* out;       // [B, L, D]
  ShardOrder order = ShardOrder::ASCENDING;
};

/// One pass of a direction over scan tokens [t_begin, t_end) of every sequence, in tiles, starting from the
/// direction's carry (the conv inputs before t_begin and the scan state entering it) and leaving in it what
/// follows t_end - 1. Scan token t sits at sequence row t (forward) or L-1-t (reverse); the reverse direction
/// reads x and z and writes y backwards in memory through negative strides. accumulate = false writes y
/// (streaming: out), true adds to it. state_only runs the correction pass of chunk composition: only the
/// carried state's contribution is added. delta_sum (or null; [B, ...] with stride delta_sum_batch_stride)
/// collects the sum of the pass's deltas.
/// Streaming mode: the tile's rows of xz come from in_proj of `in` here, and its y goes through out_proj into
/// `out` at once; otherwise xz and y hold the whole sequences.
struct DirectionPass {
  bool reverse = false;
  int64_t t_begin = 0, t_end = 0;
  bool accumulate = false;
  bool state_only = false;
  float* delta_sum = nullptr;
  int64_t delta_sum_batch_stride = 0;
};

void run_direction(const DirectionTensors& w, const LayerTensors& lw, const Call& call, const DirectionPass& pass,
                   MixerScratch::Carry& carry) {
  const io::ModelConfig& c = call.c;
  MixerScratch& s = call.s;
  const int64_t B = call.batch, L = call.L, D = c.d_model;
  const int64_t Di = c.d_inner, N = c.d_state, R = c.dt_rank, K = c.d_conv, W = R + 2 * N;
  const int64_t row_sign = pass.reverse ? -1 : 1;
  for (int64_t t0 = pass.t_begin; t0 < pass.t_end; t0 += s.tile) {
    const int64_t T = std::min(s.tile, pass.t_end - t0);
    const int64_t row0 = pass.reverse ? L - 1 - t0 : t0;  // sequence row of the tile's first scan token
    const int64_t low = pass.reverse ? row0 - T + 1 : row0;  // the tile's lowest sequence row
    // Sequence row r of xz and y lives at buffer row r - base of its sequence: the whole sequence, or the tile.
    const int64_t base = s.shape.streaming ? low : 0;
    const int64_t rows = s.shape.streaming ? T : L;  // rows of xz and y per sequence
    if (s.shape.streaming) {
      ops::LinearParams ip;  // in rows of the tile: [B, T, D] -> xz: [B, T, 2Di]
      ip.n_rows = T, ip.in_features = D, ip.out_features = 2 * Di, ip.ctx = call.ctx;
      ip.x = call.in + low * D, ip.x_stride = D, ip.weight = lw.in_proj, ip.y = s.xz, ip.y_stride = 2 * Di;
      ip.n_batch = B, ip.x_batch_stride = L * D, ip.y_batch_stride = T * 2 * Di;
      ops::linear(ip);
    }

    ops::CausalConv1dParams conv;  // x: [B, T, Di] (row stride ±2Di) -> u: [B, T, Di]
    conv.n_tokens = T, conv.channels = Di, conv.width = K, conv.ctx = call.ctx;
    conv.x = s.xz + (row0 - base) * 2 * Di, conv.x_stride = row_sign * 2 * Di;
    conv.weight = w.conv_weight, conv.weight_by_tap = w.conv_weight_by_tap, conv.bias = w.conv_bias;
    conv.history = carry.history, conv.out = s.u;
    conv.n_batch = B, conv.x_batch_stride = rows * 2 * Di, conv.out_batch_stride = T * Di;
    conv.history_batch_stride = (K - 1) * Di;
    ops::causal_conv1d(conv);

    ops::LinearParams xp;  // u: [B, T, Di] -> x_dbl: [B, T, R + 2N]
    xp.n_rows = T, xp.in_features = Di, xp.out_features = W, xp.ctx = call.ctx;
    xp.x = s.u, xp.x_stride = Di, xp.weight = w.x_proj, xp.y = s.x_dbl, xp.y_stride = W;
    xp.n_batch = B, xp.x_batch_stride = T * Di, xp.y_batch_stride = T * W;
    ops::linear(xp);

    ops::LinearParams dp;  // dt = x_dbl[:, 0..R-1]: [B, T, R] -> delta_raw: [B, T, Di]
    dp.n_rows = T, dp.in_features = R, dp.out_features = Di, dp.ctx = call.ctx;
    dp.x = s.x_dbl, dp.x_stride = W, dp.weight = w.dt_proj, dp.y = s.delta, dp.y_stride = Di;
    dp.n_batch = B, dp.x_batch_stride = T * W, dp.y_batch_stride = T * Di;
    ops::linear(dp);

    ops::SelectiveScanParams sc;  // (u, delta, B, C, z) -> y: [B, T, Di] (row stride ±Di)
    sc.n_tokens = T, sc.d_inner = Di, sc.d_state = N, sc.ctx = call.ctx;
    sc.u = s.u, sc.delta_raw = s.delta, sc.delta_bias = w.dt_bias, sc.A = w.A, sc.A_log2e = w.A_log2e;
    sc.B = s.x_dbl + R, sc.C = s.x_dbl + R + N, sc.bc_stride = W, sc.D = w.D;
    sc.z = s.xz + (row0 - base) * 2 * Di + Di, sc.z_stride = row_sign * 2 * Di;
    sc.state = carry.state;
    sc.out = s.y + (row0 - base) * Di, sc.out_stride = row_sign * Di;
    sc.accumulate = pass.accumulate && !s.shape.streaming;
    sc.delta_sum = pass.delta_sum, sc.state_only = pass.state_only;
    sc.n_batch = B, sc.u_batch_stride = T * Di, sc.bc_batch_stride = T * W, sc.z_batch_stride = rows * 2 * Di;
    sc.out_batch_stride = rows * Di, sc.state_batch_stride = Di * N;
    sc.delta_sum_batch_stride = pass.delta_sum_batch_stride;
    sc.ctx.workspace = s.scan_workspace, sc.ctx.workspace_bytes = static_cast<size_t>(s.scan_workspace_bytes);
    ops::selective_scan(sc);

    if (s.shape.streaming) {
      ops::LinearParams op;  // out rows of the tile (+)= y_tile out_proj^T: [B, T, Di] -> [B, T, D]
      op.n_rows = T, op.in_features = Di, op.out_features = D, op.ctx = call.ctx;
      op.x = s.y, op.x_stride = Di, op.weight = lw.out_proj, op.y = call.out + low * D, op.y_stride = D;
      op.accumulate = pass.accumulate, op.n_batch = B, op.x_batch_stride = T * Di, op.y_batch_stride = L * D;
      ops::linear(op);
    }
  }
}

/// A whole direction in one piece, from zero conv history and state.
void run_direction_whole(const DirectionTensors& w, const LayerTensors& lw, const Call& call, bool reverse,
                         bool accumulate) {
  const io::ModelConfig& c = call.c;
  MixerScratch::Carry& carry = reverse ? call.s.reverse_carry : call.s.forward_carry;
  core::zero_floats(call.ctx.device, carry.history, call.batch * (c.d_conv - 1) * c.d_inner);
  core::zero_floats(call.ctx.device, carry.state, call.batch * c.d_inner * c.d_state);
  DirectionPass pass;
  pass.reverse = reverse, pass.t_begin = 0, pass.t_end = call.L, pass.accumulate = accumulate;
  run_direction(w, lw, call, pass, carry);
}

/// A whole direction as composed chunks (whole-sequence mode): each chunk is scanned from zero state with the
/// true conv inputs before it (its halo), keeping its final state and delta sum; the summaries are composed
/// into the state entering each chunk; a state-only pass per chunk then adds that state's part.
void run_direction_chunked(const DirectionTensors& w, const LayerTensors& lw, const Call& call, bool reverse,
                           bool accumulate) {
  const io::ModelConfig& c = call.c;
  MixerScratch& s = call.s;
  const core::Device device = call.ctx.device;
  const int64_t B = call.batch, L = call.L, Di = c.d_inner, N = c.d_state, halo = c.d_conv - 1;
  const int64_t n_chunks = s.shape.chunks;
  MixerScratch::Carry& carry = reverse ? s.reverse_carry : s.forward_carry;
  const auto begin = [&](int64_t k) { return k * L / n_chunks; };  // scan tokens [begin(k), begin(k + 1))
  // Every sequence's conv inputs before scan token t0 (zero before the sequence): x of scan tokens t0 - halo
  // .. t0 - 1.
  const auto load_halo = [&](int64_t t0) {
    for (int64_t b = 0; b < B; ++b)
      for (int64_t j = 0; j < halo; ++j) {
        const int64_t t = t0 - halo + j;
        float* dst = carry.history + (b * halo + j) * Di;
        if (t < 0) {
          core::zero_floats(device, dst, Di);
        } else {
          core::copy_floats(device, dst, s.xz + (b * L + (reverse ? L - 1 - t : t)) * 2 * Di, Di);
        }
      }
  };
  const auto state_slot = [&](float* summaries, int64_t b, int64_t k) { return summaries + (b * n_chunks + k) * Di * N; };
  core::zero_floats(device, s.chunk_delta_sum, B * n_chunks * Di);
  for (int64_t k = 0; k < n_chunks; ++k) {  // pass 1: each chunk from zero state
    load_halo(begin(k));
    core::zero_floats(device, carry.state, B * Di * N);
    DirectionPass pass;
    pass.reverse = reverse, pass.t_begin = begin(k), pass.t_end = begin(k + 1), pass.accumulate = accumulate;
    pass.delta_sum = s.chunk_delta_sum + k * Di, pass.delta_sum_batch_stride = n_chunks * Di;
    run_direction(w, lw, call, pass, carry);
    for (int64_t b = 0; b < B; ++b) core::copy_floats(device, state_slot(s.chunk_final, b, k), carry.state + b * Di * N, Di * N);
  }
  for (int64_t b = 0; b < B; ++b) {  // summaries -> the state entering each chunk
    ops::ComposeScanStatesParams compose;
    compose.n_chunks = n_chunks, compose.d_inner = Di, compose.d_state = N, compose.A = w.A, compose.ctx = call.ctx;
    compose.chunk_final = state_slot(s.chunk_final, b, 0), compose.delta_sum = s.chunk_delta_sum + b * n_chunks * Di;
    compose.incoming = state_slot(s.chunk_incoming, b, 0);
    ops::compose_scan_states(compose);
  }
  for (int64_t k = 1; k < n_chunks; ++k) {  // pass 2: the incoming state's contribution (chunk 0 has none)
    load_halo(begin(k));
    for (int64_t b = 0; b < B; ++b) core::copy_floats(device, carry.state + b * Di * N, state_slot(s.chunk_incoming, b, k), Di * N);
    DirectionPass pass;
    pass.reverse = reverse, pass.t_begin = begin(k), pass.t_end = begin(k + 1), pass.accumulate = true;
    pass.state_only = true;
    run_direction(w, lw, call, pass, carry);
  }
}

/// A whole direction as composed shards of the ranks (sequence parallelism, performance.md §3.2; whole-sequence
/// mode, on any device). Per call: every rank publishes the K-1 rows of its x at its end in scan order; each
/// assembles its
/// halo (the conv inputs before it in scan order, from the nearest preceding shards, several when they are
/// shorter than K-1); scans its shard from zero state, keeping its end state and ΣΔ; every rank publishes that
/// summary; each composes the summaries of the shards before it in scan order into the state entering its
/// own, and a state-only pass adds that state's part. A shard may be empty: it publishes no rows and the
/// identity summary, and takes part in every exchange. The buffers stay in the engine's device memory: the
/// communicator exchanges them there (NCCL) or stages them through the host (MPI).
void run_direction_ranked(const DirectionTensors& w, const LayerTensors& lw, const Call& call, bool reverse,
                          bool accumulate) {
  const io::ModelConfig& c = call.c;
  MixerScratch& s = call.s;
  const core::Device device = s.shape.device;
  parallel::Communicator& comm = *s.shape.comm;
  const int P = comm.size();
  const int64_t B = call.batch, L = call.L, Di = c.d_inner, N = c.d_state, H = c.d_conv - 1;
  MixerScratch::Carry& carry = reverse ? s.reverse_carry : s.forward_carry;

  // 1. Edges: [B, H, Di], the rows of x that the next shard in scan order needs: the last H rows (forward) or the
  //    first H rows (reverse), in sequence order, missing rows zero; and, on the host, how many rows each rank
  //    published.
  const int64_t valid = std::min(L, H), edge_floats = B * H * Di;
  core::zero_floats(device, s.edges, edge_floats);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t j = 0; j < valid; ++j) {
      if (reverse) {
        core::copy_floats(device, s.edges + (b * H + j) * Di, s.xz + (b * L + j) * 2 * Di, Di);
      } else {
        core::copy_floats(device, s.edges + (b * H + (H - valid + j)) * Di, s.xz + (b * L + L - valid + j) * 2 * Di, Di);
      }
    }
  comm.all_gather_on(device, s.edges, edge_floats, s.edges_all);
  const float published = static_cast<float>(valid);
  std::vector<float> rows_of(static_cast<size_t>(P));
  comm.all_gather({&published, 1}, rows_of);

  // The ranks in scan order: the shards' order along the sequence, reversed for the reverse direction.
  std::vector<int> scan_order(static_cast<size_t>(P));
  for (int q = 0; q < P; ++q) scan_order[static_cast<size_t>(q)] = call.order == ShardOrder::ASCENDING ? q : P - 1 - q;
  if (reverse) std::reverse(scan_order.begin(), scan_order.end());
  const auto position = static_cast<int64_t>(std::find(scan_order.begin(), scan_order.end(), comm.rank()) - scan_order.begin());

  // 2. The halo, newest row first from the nearest preceding shard: in scan order a shard's newest rows are its
  //    last rows (forward) or its first rows read backwards (reverse).
  core::zero_floats(device, s.halo, B * H * Di);
  for (int64_t b = 0; b < B; ++b) {
    int64_t slot = H - 1;  // history slot to fill next (H-1 is the row just before the shard)
    for (int64_t q = position - 1; q >= 0 && slot >= 0; --q) {
      const int from = scan_order[static_cast<size_t>(q)];
      const float* edge = s.edges_all + from * edge_floats;
      const auto n = static_cast<int64_t>(rows_of[static_cast<size_t>(from)]);
      for (int64_t i = 0; i < n && slot >= 0; ++i, --slot) {
        const int64_t row = reverse ? i : H - 1 - i;  // i-th newest of that shard's published rows
        core::copy_floats(device, s.halo + (b * H + slot) * Di, edge + (b * H + row) * Di, Di);
      }
    }
  }

  // 3. This shard scanned from zero state with its halo: outputs, end state and ΣΔ.
  const auto load_halo = [&] { core::copy_floats(device, carry.history, s.halo, B * H * Di); };
  const int64_t summary_stride = Di * N + Di;  // per sequence: the end state, then ΣΔ
  float* delta_sum = s.summary + Di * N;
  for (int64_t b = 0; b < B; ++b) core::zero_floats(device, delta_sum + b * summary_stride, Di);
  load_halo();
  core::zero_floats(device, carry.state, B * Di * N);
  DirectionPass pass;
  pass.reverse = reverse, pass.t_begin = 0, pass.t_end = L, pass.accumulate = accumulate;
  pass.delta_sum = delta_sum, pass.delta_sum_batch_stride = summary_stride;
  run_direction(w, lw, call, pass, carry);
  for (int64_t b = 0; b < B; ++b) core::copy_floats(device, s.summary + b * summary_stride, carry.state + b * Di * N, Di * N);

  // 4. Every shard's summary; the state entering this shard from those before it in scan order.
  const int64_t summary_floats = B * summary_stride;
  comm.all_gather_on(device, s.summary, summary_floats, s.summary_all);
  if (position == 0) return;  // the first shard in scan order starts from zero: nothing to add
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t q = 0; q < position; ++q) {
      const float* from = s.summary_all + scan_order[static_cast<size_t>(q)] * summary_floats + b * summary_stride;
      core::copy_floats(device, s.rank_final + q * Di * N, from, Di * N);
      core::copy_floats(device, s.rank_delta_sum + q * Di, from + Di * N, Di);
    }
    ops::ComposeScanStatesParams compose;
    compose.n_chunks = position, compose.d_inner = Di, compose.d_state = N, compose.A = w.A, compose.ctx = call.ctx;
    compose.chunk_final = s.rank_final, compose.delta_sum = s.rank_delta_sum;
    compose.final_state = carry.state + b * Di * N;
    ops::compose_scan_states(compose);
  }

  // 5. The incoming state's contribution, added.
  load_halo();
  DirectionPass correction;
  correction.reverse = reverse, correction.t_begin = 0, correction.t_end = L, correction.accumulate = true;
  correction.state_only = true;
  run_direction(w, lw, call, correction, carry);
}

}  // namespace

MixerScratch::MixerScratch(const io::ModelConfig& c, const MixerShape& shape_, core::Arena& arena)
    : shape(shape_), tile(std::max<int64_t>(1, std::min(shape_.tile, shape_.max_tokens))) {
  GM_CHECK(shape.batch >= 1 && shape.max_tokens >= 0, "MixerScratch: batch must be >= 1 and max_tokens >= 0");
  GM_CHECK(shape.tile >= 1, "MixerScratch: tile must be >= 1");
  GM_CHECK(shape.chunks >= 1, "MixerScratch: chunks must be >= 1");
  GM_CHECK(shape.chunks == 1 || !shape.streaming, "MixerScratch: chunk composition needs the whole-sequence mode");
  const bool ranked = shape.comm != nullptr && shape.comm->size() > 1;
  GM_CHECK(!ranked || (!shape.streaming && shape.chunks == 1),
           "MixerScratch: sequence parallelism runs in the whole-sequence mode, without chunks");
  const int64_t B = shape.batch, Di = c.d_inner, N = c.d_state, T = tile;
  const int64_t rows = shape.streaming ? T : shape.max_tokens;  // rows of xz and y per sequence
  xz = arena.take(B * rows * 2 * Di);
  y = arena.take(B * rows * Di);
  u = arena.take(B * T * Di);
  x_dbl = arena.take(B * T * (c.dt_rank + 2 * N));
  delta = arena.take(B * T * Di);
  for (Carry* carry : {&forward_carry, &reverse_carry}) {
    carry->history = arena.take(B * std::max(c.d_conv - 1, 0) * Di);
    carry->state = arena.take(B * Di * N);
  }
  if (shape.chunks > 1) {
    chunk_final = arena.take(B * shape.chunks * Di * N);
    chunk_incoming = arena.take(B * shape.chunks * Di * N);
    chunk_delta_sum = arena.take(B * shape.chunks * Di);
  }
  scan_workspace_bytes = ops::selective_scan_workspace_bytes(shape.device, B, T, Di, N);
  scan_workspace = arena.take((scan_workspace_bytes + 3) / 4);
  const int P = shape.comm ? shape.comm->size() : 1;
  if (P > 1) {
    const int64_t H = c.d_conv - 1, edge_floats = B * H * Di, summary_floats = B * (Di * N + Di);
    halo = arena.take(B * H * Di);
    edges = arena.take(edge_floats);
    edges_all = arena.take(P * edge_floats);
    summary = arena.take(summary_floats);
    summary_all = arena.take(P * summary_floats);
    rank_final = arena.take(P * Di * N);
    rank_delta_sum = arena.take(P * Di);
  }
}

void bimamba_forward(const LayerTensors& w, const io::ModelConfig& c, const ops::ExecContext& ctx, const float* in,
                     float* out, int64_t batch, int64_t L, MixerScratch& s, ShardOrder order) {
  GM_CHECK(batch >= 0 && batch <= s.shape.batch, "bimamba_forward: batch must be in 0..scratch batch");
  GM_CHECK(L >= 0 && L <= s.shape.max_tokens, "bimamba_forward: n_tokens must be in 0..scratch max_tokens");
  GM_CHECK(!s.shape.streaming || in != out, "bimamba_forward: in and out must differ in the streaming mode");
  const bool ranked = s.shape.comm != nullptr && s.shape.comm->size() > 1;
  if (batch == 0 || (L == 0 && !ranked)) return;  // an empty shard still takes part in the exchanges
  const Call call{c, ctx, batch, L, s, in, out, order};
  const int64_t D = c.d_model, Di = c.d_inner;
  if (s.shape.streaming) {
    run_direction_whole(w.rev, w, call, /*reverse=*/true, /*accumulate=*/false);  // out = out_proj(y_rev)
    run_direction_whole(w.fwd, w, call, /*reverse=*/false, /*accumulate=*/true);  // out += out_proj(y_fwd)
    return;
  }

  ops::LinearParams ip;  // in: [B, L, D] -> xz: [B, L, 2Di], shared by both directions (tied in_proj)
  ip.n_rows = L, ip.in_features = D, ip.out_features = 2 * Di, ip.ctx = ctx;
  ip.x = in, ip.x_stride = D, ip.weight = w.in_proj, ip.y = s.xz, ip.y_stride = 2 * Di;
  ip.n_batch = batch, ip.x_batch_stride = L * D, ip.y_batch_stride = L * 2 * Di;
  ops::linear(ip);

  const auto direction = ranked ? run_direction_ranked : s.shape.chunks > 1 ? run_direction_chunked : run_direction_whole;
  direction(w.rev, w, call, /*reverse=*/true, /*accumulate=*/false);  // y = flip(M_rev(flip(x)))
  direction(w.fwd, w, call, /*reverse=*/false, /*accumulate=*/true);  // y += M_fwd(x)

  ops::LinearParams op;  // y: [B, L, Di] -> out: [B, L, D] (tied out_proj, once on the sum)
  op.n_rows = L, op.in_features = Di, op.out_features = D, op.ctx = ctx;
  op.x = s.y, op.x_stride = Di, op.weight = w.out_proj, op.y = out, op.y_stride = D;
  op.n_batch = batch, op.x_batch_stride = L * Di, op.y_batch_stride = L * D;
  ops::linear(op);
}

}  // namespace genomamba::model
