// The ops that move rows rather than compute: embedding_gather, residual_add and reverse_rows, against loops
// written out here.
#include <catch2/catch.hpp>

#include <vector>

#include "core/error.h"
#include "ops/embedding_gather.h"
#include "ops/residual_add.h"
#include "ops/reverse_rows.h"
#include "support/reference.h"

using namespace genomamba;
using test::random_floats;

TEST_CASE("embedding_gather: rows of the table per id, and the reverse-complement strand from the same ids", "[ops]") {
  constexpr int64_t B = 3, L = 5, D = 4, V = 6, stride = 7;  // ids of sequence b start at b * stride
  const auto table = random_floats(V * D, 11);
  const std::vector<int32_t> complement = {0, 1, 5, 4, 3, 2};
  std::vector<int32_t> ids(B * stride, -1);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t l = 0; l < L; ++l) ids[b * stride + l] = static_cast<int32_t>((b + 2 * l) % V);
  for (bool rc : {false, true}) {
    INFO("reverse_complement " << rc);
    std::vector<float> out(B * L * D, -9.0f);
    ops::EmbeddingGatherParams p;
    p.n_batch = B, p.n_tokens = L, p.n_cols = D, p.n_table_rows = V;
    p.ids = ids.data(), p.ids_batch_stride = stride, p.table = table.data(), p.out = out.data();
    p.complement = complement.data(), p.reverse_complement = rc;
    ops::embedding_gather(p);
    for (int64_t b = 0; b < B; ++b)
      for (int64_t l = 0; l < L; ++l) {
        const int32_t id = rc ? complement[ids[b * stride + L - 1 - l]] : ids[b * stride + l];
        for (int64_t c = 0; c < D; ++c) REQUIRE(out[(b * L + l) * D + c] == table[id * D + c]);
      }
  }
  ids[stride + 2] = V;  // out of the table
  std::vector<float> out(B * L * D);
  ops::EmbeddingGatherParams p;
  p.n_batch = B, p.n_tokens = L, p.n_cols = D, p.n_table_rows = V;
  p.ids = ids.data(), p.ids_batch_stride = stride, p.table = table.data(), p.out = out.data();
  CHECK_THROWS_AS(ops::embedding_gather(p), InternalError);
}

TEST_CASE("residual_add: y += x", "[ops]") {
  const auto x = random_floats(21, 1);
  const auto y0 = random_floats(21, 2);
  auto y = y0;
  ops::ResidualAddParams p;
  p.n_rows = 3, p.n_cols = 7, p.x = x.data(), p.y = y.data();
  ops::residual_add(p);
  for (size_t i = 0; i < y.size(); ++i) REQUIRE(y[i] == y0[i] + x[i]);
}

TEST_CASE("reverse_rows: rows, channels and column maps, per sequence, in place and not", "[ops]") {
  constexpr int64_t B = 2, L = 5, D = 3, in_stride = 4, out_stride = 5;  // padded rows: strides > D
  const auto in = random_floats(B * L * in_stride, 3);
  const std::vector<int32_t> column_map = {2, 2, 0};
  const auto expected = [&](int64_t b, int64_t l, int64_t c, bool rows, bool cols, bool map) {
    const int64_t row = rows ? L - 1 - l : l;
    const int64_t col = cols ? D - 1 - c : map ? column_map[c] : c;
    return in[(b * L + row) * in_stride + col];
  };
  for (int mode = 0; mode < 6; ++mode) {
    const bool rows = mode % 2 == 0, cols = mode / 2 == 1, map = mode / 2 == 2;
    INFO("rows " << rows << " cols " << cols << " map " << map);
    const auto out0 = random_floats(B * L * out_stride, 4);
    for (bool accumulate : {false, true}) {
      auto out = out0;
      ops::ReverseRowsParams p;
      p.n_batch = B, p.n_rows = L, p.n_cols = D;
      p.in = in.data(), p.in_stride = in_stride, p.in_batch_stride = L * in_stride;
      p.out = out.data(), p.out_stride = out_stride, p.out_batch_stride = L * out_stride;
      p.reverse = rows, p.reverse_cols = cols, p.column_map = map ? column_map.data() : nullptr;
      p.accumulate = accumulate, p.scale = 0.5f;
      ops::reverse_rows(p);
      for (int64_t b = 0; b < B; ++b)
        for (int64_t l = 0; l < L; ++l)
          for (int64_t c = 0; c < out_stride; ++c) {
            const size_t at = static_cast<size_t>((b * L + l) * out_stride + c);
            if (c >= D) {  // the padding of a row stays as it was
              REQUIRE(out[at] == out0[at]);
              continue;
            }
            const float value = 0.5f * expected(b, l, c, rows, cols, map);
            REQUIRE(out[at] == (accumulate ? out0[at] + value : value));
          }
    }
    if (map) continue;
    for (int64_t length : {L, L - 1}) {  // odd and even: the middle row of an odd L reverses in itself
      INFO("in place, L " << length);
      auto buffer = in;
      ops::ReverseRowsParams p;
      p.n_batch = B, p.n_rows = length, p.n_cols = D;
      p.in = p.out = buffer.data(), p.in_stride = p.out_stride = in_stride;
      p.in_batch_stride = p.out_batch_stride = L * in_stride;
      p.reverse = rows, p.reverse_cols = cols;
      ops::reverse_rows(p);
      for (int64_t b = 0; b < B; ++b)
        for (int64_t l = 0; l < length; ++l)
          for (int64_t c = 0; c < D; ++c) {
            const int64_t row = rows ? length - 1 - l : l;
            REQUIRE(buffer[(b * L + l) * in_stride + c] == in[(b * L + row) * in_stride + (cols ? D - 1 - c : c)]);
          }
    }
  }
}
