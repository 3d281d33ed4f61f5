#pragma once
// What the CUDA kernel tests share: random inputs that are never zero (zeros hide unwritten outputs and wrong
// indexing) and reading a device buffer back.
#include <random>
#include <vector>

#include "core/buffer.h"

namespace genomamba::test {

/// n normal values, none of them zero.
inline std::vector<float> random_values(std::mt19937& rng, size_t n) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(n);
  for (auto& e : v) {
    e = normal(rng);
    if (e == 0.0f) e = 1.0f;
  }
  return v;
}

/// The first n floats of a buffer, on the host.
inline std::vector<float> download(const core::Buffer& buffer, size_t n) {
  std::vector<float> out(n);
  buffer.copy_to_host(out);
  return out;
}

}  // namespace genomamba::test
