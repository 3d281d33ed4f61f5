#pragma once
/// The one table of checkpoint tensor names (Hugging Face CaduceusForMaskedLM key layout).
#include <string>

namespace genomamba::model::names {

std::string embedding(bool rcps);                 ///< word_embeddings(.embedding).weight
std::string embedding_complement_map();           ///< PS only (I64)
std::string lm_head_complement_map();             ///< PS only (I64)
std::string norm_f();
std::string layer_norm(int layer);
/// Prefix of one Mamba direction: "caduceus.backbone.layers.{i}.mixer.(submodule.)mamba_{fwd|rev}."
std::string mamba_prefix(bool rcps, int layer, bool reverse);

}  // namespace genomamba::model::names
