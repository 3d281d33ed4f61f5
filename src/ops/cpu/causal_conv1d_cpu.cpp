// Depthwise causal conv1d + SiLU. OpenMP splits the channels into blocks; one thread walks all tokens of
// a block with the K-1 most recent inputs in a local window, so every output is computed by one thread in
// a fixed order whatever the thread count.
#include <algorithm>
#include <cmath>

#include "ops/causal_conv1d.h"

namespace genomamba::ops::cpu {
namespace {

constexpr int64_t kLanes = 16;  // channels per block

/// One block of nb <= kLanes channels starting at d0, over all tokens of the tile.
void conv_block(const CausalConv1dParams& p, int64_t d0, int64_t nb) {
  const int64_t K = p.width;
  const int64_t Di = p.channels;
  float w[kMaxConvWidth][kLanes];        // w: [K, nb]
  float win[kMaxConvWidth][kLanes] = {};  // win: [K-1, nb], oldest first
  float bias[kLanes];
  for (int64_t j = 0; j < nb; ++j) {
    for (int64_t k = 0; k < K; ++k) w[k][j] = p.weight[(d0 + j) * K + k];
    bias[j] = p.bias != nullptr ? p.bias[d0 + j] : 0.0f;
    for (int64_t k = 0; k + 1 < K; ++k) win[k][j] = p.history[k * Di + d0 + j];
  }
  for (int64_t t = 0; t < p.n_tokens; ++t) {
    const float* x = p.x + t * p.x_stride + d0;  // x: [nb] of token t
    float* out = p.out + t * Di + d0;            // out: [nb] of token t
    for (int64_t j = 0; j < nb; ++j) {
      float c = bias[j];
      for (int64_t k = 0; k + 1 < K; ++k) c += w[k][j] * win[k][j];
      c += w[K - 1][j] * x[j];
      out[j] = c / (1.0f + std::exp(-c));  // SiLU
    }
    for (int64_t k = 0; k + 2 < K; ++k)
      for (int64_t j = 0; j < nb; ++j) win[k][j] = win[k + 1][j];
    if (K > 1)
      for (int64_t j = 0; j < nb; ++j) win[K - 2][j] = x[j];
  }
  for (int64_t j = 0; j < nb; ++j)
    for (int64_t k = 0; k + 1 < K; ++k) p.history[k * Di + d0 + j] = win[k][j];
}

}  // namespace

void causal_conv1d_cpu(const CausalConv1dParams& p) {
  const int64_t n_blocks = (p.channels + kLanes - 1) / kLanes;
#pragma omp parallel for schedule(static)
  for (int64_t b = 0; b < n_blocks; ++b) {
    const int64_t d0 = b * kLanes;
    conv_block(p, d0, std::min(kLanes, p.channels - d0));
  }
}

}  // namespace genomamba::ops::cpu
