#pragma once
// What the model tests share to compare two forwards: options asking for every output (final hidden state,
// logits, the hidden states of layers 0, 1 and n_layer), and the largest relative error among those outputs.
#include <algorithm>
#include <cstdint>

#include "core/device.h"
#include "model/caduceus.h"
#include "support/tensor_compare.h"

namespace genomamba::test {

inline model::ForwardOptions all_outputs(const model::Caduceus& m, int64_t tile,
                                         core::Device device = core::Device::cpu()) {
  model::ForwardOptions o;
  o.device = device;
  o.tile = tile;
  o.want_logits = true;
  o.capture_layers = {0, 1, m.config().n_layer};
  return o;
}

/// The largest relative error of `a` against `b` over the outputs all_outputs asks for.
inline double max_relative(const model::ForwardResult& a, const model::ForwardResult& b) {
  double err = std::max(relative_error(a.final_hidden.span(), b.final_hidden.span()),
                        relative_error(a.logits.span(), b.logits.span()));
  for (const auto& [k, m] : a.layer_hidden) err = std::max(err, relative_error(m.span(), b.layer_hidden.at(k).span()));
  return err;
}

}  // namespace genomamba::test
