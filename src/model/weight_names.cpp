#include "model/weight_names.h"

namespace genomamba::model::names {

std::string embedding(bool rcps) {
  return rcps ? "caduceus.backbone.embeddings.word_embeddings.embedding.weight"
              : "caduceus.backbone.embeddings.word_embeddings.weight";
}

std::string embedding_complement_map() { return "caduceus.backbone.embeddings.word_embeddings.complement_map"; }

std::string lm_head_complement_map() { return "lm_head.complement_map"; }

std::string norm_f() { return "caduceus.backbone.norm_f.weight"; }

std::string layer_norm(int layer) { return "caduceus.backbone.layers." + std::to_string(layer) + ".norm.weight"; }

std::string mamba_prefix(bool rcps, int layer, bool reverse) {
  return "caduceus.backbone.layers." + std::to_string(layer) + (rcps ? ".mixer.submodule." : ".mixer.") +
         (reverse ? "mamba_rev." : "mamba_fwd.");
}

}  // namespace genomamba::model::names
