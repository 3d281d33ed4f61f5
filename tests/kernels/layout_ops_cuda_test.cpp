// The CUDA layout ops (embedding_gather, residual_add, reverse_rows), through their dispatchers, against the
// CPU ops (the reference path) on random data. They only move, add or scale values, so the GPU must give the
// CPU's results bit for bit. GPU outputs are filled with NaN first, so an element the kernel fails to write
// fails the comparison. Without a GPU every test case reports itself skipped (tests/support/skip.h).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <span>
#include <vector>

#include "core/buffer.h"
#include "ops/embedding_gather.h"
#include "ops/residual_add.h"
#include "ops/reverse_rows.h"
#include "kernel_test_data.h"
#include "support/skip.h"

using namespace genomamba;
using test::download;
using test::random_values;

namespace {

const core::Device kGpu = core::Device::cuda(0);
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

core::Buffer upload_ids(std::span<const int32_t> ids) {
  core::Buffer buffer(kGpu, ids.size_bytes());
  core::upload_bytes(kGpu, buffer.data(), ids.data(), ids.size_bytes());
  return buffer;
}

/// The first index where the bit patterns differ, or -1 (identical NaN poison on both sides counts as equal).
int64_t first_mismatch(std::span<const float> a, std::span<const float> b) {
  if (a.size() != b.size()) return 0;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) return static_cast<int64_t>(i);
  return -1;
}

}  // namespace

TEST_CASE("embedding_gather_cuda: matches the CPU op bit for bit", "[cuda][ops]") {
  if (core::cuda_device_count() == 0) {
    test::skip_test("no CUDA device visible");
    return;
  }
  const auto [batch, tokens, cols, rc] = GENERATE(table<int64_t, int64_t, int64_t, bool>(
      {{1, 1, 256, false}, {1, 37, 256, true}, {3, 100, 256, false}, {3, 100, 256, true}, {2, 9, 33, true},
       {4, 50, 1000, false}, {2, 300, 7, true}}));
  CAPTURE(batch, tokens, cols, rc);
  std::mt19937 rng(11);
  const int64_t vocab = 16, ids_stride = tokens + 5;  // the ids of each sequence padded
  std::uniform_int_distribution<int32_t> pick(0, static_cast<int32_t>(vocab - 1));
  std::vector<int32_t> ids(static_cast<size_t>(batch * ids_stride)), complement(static_cast<size_t>(vocab));
  for (auto& id : ids) id = pick(rng);
  std::iota(complement.begin(), complement.end(), 0);
  std::shuffle(complement.begin(), complement.end(), rng);
  const auto table_values = random_values(rng, static_cast<size_t>(vocab * cols));
  const size_t n_out = static_cast<size_t>(batch * tokens * cols);

  std::vector<float> cpu_out(n_out, kNaN);
  ops::EmbeddingGatherParams p;
  p.n_batch = batch, p.n_tokens = tokens, p.n_cols = cols, p.n_table_rows = vocab;
  p.ids = ids.data(), p.ids_batch_stride = ids_stride, p.table = table_values.data();
  p.complement = complement.data(), p.reverse_complement = rc, p.out = cpu_out.data();
  ops::embedding_gather(p);

  core::Buffer d_ids = upload_ids(ids), d_complement = upload_ids(complement);
  core::Buffer d_table = core::Buffer::from_host(kGpu, table_values);
  core::Buffer d_out = core::Buffer::from_host(kGpu, std::vector<float>(n_out, kNaN));
  ops::EmbeddingGatherParams g = p;
  g.ids = static_cast<const int32_t*>(d_ids.data()), g.table = d_table.f32();
  g.complement = static_cast<const int32_t*>(d_complement.data()), g.out = d_out.f32();
  g.ctx.device = kGpu;
  ops::embedding_gather(g);
  CHECK(first_mismatch(download(d_out, n_out), cpu_out) == -1);
}

TEST_CASE("embedding_gather_cuda: an id outside the table gives a NaN row", "[cuda][ops]") {
  if (core::cuda_device_count() == 0) {
    test::skip_test("no CUDA device visible");
    return;
  }
  const int64_t vocab = 4, cols = 8;
  const std::vector<int32_t> ids{1, 7, -1, 2};
  const std::vector<float> table_values(static_cast<size_t>(vocab * cols), 0.5f);
  core::Buffer d_ids = upload_ids(ids), d_table = core::Buffer::from_host(kGpu, table_values);
  core::Buffer d_out(kGpu, ids.size() * cols * sizeof(float));
  ops::EmbeddingGatherParams g;
  g.n_tokens = static_cast<int64_t>(ids.size()), g.n_cols = cols, g.n_table_rows = vocab;
  g.ids = static_cast<const int32_t*>(d_ids.data()), g.table = d_table.f32(), g.out = d_out.f32();
  g.ctx.device = kGpu;
  ops::embedding_gather(g);
  const auto out = download(d_out, ids.size() * cols);
  for (size_t t = 0; t < ids.size(); ++t) {
    const bool valid = ids[t] >= 0 && ids[t] < vocab;
    for (int64_t c = 0; c < cols; ++c) {
      const float v = out[t * cols + static_cast<size_t>(c)];
      CHECK((valid ? v == 0.5f : std::isnan(v)));
    }
  }
}

TEST_CASE("residual_add_cuda: matches the CPU op bit for bit", "[cuda][ops]") {
  if (core::cuda_device_count() == 0) {
    test::skip_test("no CUDA device visible");
    return;
  }
  // offset: floats skipped at the start of both buffers (1: pointers not 16-byte aligned, the scalar path).
  const auto [rows, cols, offset] = GENERATE(table<int64_t, int64_t, int64_t>(
      {{1, 1, 0}, {1, 7, 0}, {37, 256, 0}, {37, 256, 1}, {5, 1001, 0}, {5, 1001, 1}, {3000, 256, 0}}));
  CAPTURE(rows, cols, offset);
  std::mt19937 rng(13);
  const size_t n = static_cast<size_t>(rows * cols), total = n + static_cast<size_t>(offset);
  const auto x = random_values(rng, total), y = random_values(rng, total);

  std::vector<float> cpu_y = y;
  ops::ResidualAddParams p;
  p.n_rows = rows, p.n_cols = cols, p.x = x.data() + offset, p.y = cpu_y.data() + offset;
  ops::residual_add(p);

  core::Buffer d_x = core::Buffer::from_host(kGpu, x), d_y = core::Buffer::from_host(kGpu, y);
  ops::ResidualAddParams g = p;
  g.x = d_x.f32() + offset, g.y = d_y.f32() + offset;
  g.ctx.device = kGpu;
  ops::residual_add(g);
  CHECK(first_mismatch(download(d_y, total), cpu_y) == -1);
}

TEST_CASE("reverse_rows_cuda: in place matches the CPU op bit for bit", "[cuda][ops]") {
  if (core::cuda_device_count() == 0) {
    test::skip_test("no CUDA device visible");
    return;
  }
  const auto [batch, rows, cols, reverse, reverse_cols] = GENERATE(table<int64_t, int64_t, int64_t, bool, bool>(
      {{1, 1, 8, true, true},     {1, 4, 8, true, false},    {1, 5, 8, true, true},    {3, 4, 7, true, true},
       {3, 5, 7, true, false},    {2, 5, 256, false, true},  {2, 6, 255, true, true},  {3, 101, 300, true, true},
       {2, 100, 300, true, false}, {1, 3, 1, true, true}}));
  CAPTURE(batch, rows, cols, reverse, reverse_cols);
  std::mt19937 rng(17);
  // Rows and sequences padded; the padding must stay as it is.
  const int64_t stride = cols + 3, batch_stride = rows * stride + 2;
  const size_t total = static_cast<size_t>(batch * batch_stride);
  const auto values = random_values(rng, total);

  std::vector<float> cpu_data = values;
  ops::ReverseRowsParams p;
  p.n_batch = batch, p.n_rows = rows, p.n_cols = cols;
  p.in = cpu_data.data(), p.in_stride = stride, p.in_batch_stride = batch_stride;
  p.out = cpu_data.data(), p.out_stride = stride, p.out_batch_stride = batch_stride;
  p.reverse = reverse, p.reverse_cols = reverse_cols;
  ops::reverse_rows(p);

  core::Buffer d_data = core::Buffer::from_host(kGpu, values);
  ops::ReverseRowsParams g = p;
  g.in = d_data.f32(), g.out = d_data.f32();
  g.ctx.device = kGpu;
  ops::reverse_rows(g);
  CHECK(first_mismatch(download(d_data, total), cpu_data) == -1);
}

TEST_CASE("reverse_rows_cuda: out of place matches the CPU op bit for bit", "[cuda][ops]") {
  if (core::cuda_device_count() == 0) {
    test::skip_test("no CUDA device visible");
    return;
  }
  enum Cols { kPlain, kReversed, kMapped };
  const auto [batch, rows, cols, reverse, col_mode, accumulate, scale] =
      GENERATE(table<int64_t, int64_t, int64_t, bool, int, bool, float>({
          {1, 1, 16, true, kPlain, false, 1.0f},
          {1, 7, 16, true, kMapped, false, 1.0f},
          {3, 7, 16, true, kMapped, true, 0.5f},
          {3, 8, 16, false, kMapped, true, -1.25f},
          {2, 9, 300, true, kReversed, false, 1.0f},
          {2, 9, 300, true, kReversed, true, 0.3f},
          {2, 50, 257, false, kPlain, true, 1.0f},
          {4, 33, 5, true, kPlain, false, 2.0f},
      }));
  CAPTURE(batch, rows, cols, reverse, col_mode, accumulate, scale);
  std::mt19937 rng(19);
  // The input rows are wider than the columns written (a column map reads any of them); everything padded.
  const int64_t in_cols = cols + 4, in_stride = in_cols + 3, in_batch_stride = rows * in_stride + 5;
  const int64_t out_stride = cols + 2, out_batch_stride = rows * out_stride + 1;
  const size_t n_in = static_cast<size_t>(batch * in_batch_stride), n_out = static_cast<size_t>(batch * out_batch_stride);
  const auto in = random_values(rng, n_in);
  std::vector<int32_t> column_map(static_cast<size_t>(cols));
  std::uniform_int_distribution<int32_t> pick(0, static_cast<int32_t>(in_cols - 1));
  for (auto& c : column_map) c = pick(rng);
  // Accumulating: random values to add to; writing: NaN everywhere (the padding stays NaN on both sides).
  const auto out_start = accumulate ? random_values(rng, n_out) : std::vector<float>(n_out, kNaN);

  std::vector<float> cpu_out = out_start;
  ops::ReverseRowsParams p;
  p.n_batch = batch, p.n_rows = rows, p.n_cols = cols;
  p.in = in.data(), p.in_stride = in_stride, p.in_batch_stride = in_batch_stride;
  p.out = cpu_out.data(), p.out_stride = out_stride, p.out_batch_stride = out_batch_stride;
  p.reverse = reverse, p.reverse_cols = col_mode == kReversed;
  p.column_map = col_mode == kMapped ? column_map.data() : nullptr;
  p.accumulate = accumulate, p.scale = scale;
  ops::reverse_rows(p);

  core::Buffer d_in = core::Buffer::from_host(kGpu, in), d_out = core::Buffer::from_host(kGpu, out_start);
  core::Buffer d_map = upload_ids(column_map);
  ops::ReverseRowsParams g = p;
  g.in = d_in.f32(), g.out = d_out.f32();
  g.column_map = col_mode == kMapped ? static_cast<const int32_t*>(d_map.data()) : nullptr;
  g.ctx.device = kGpu;
  ops::reverse_rows(g);
  CHECK(first_mismatch(download(d_out, n_out), cpu_out) == -1);
}
