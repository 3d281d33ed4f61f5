#include <catch2/catch.hpp>

#include "model/weight_names.h"

namespace names = genomamba::model::names;

TEST_CASE("weight names: follow the Hugging Face CaduceusForMaskedLM keys", "[model]") {
  CHECK(names::embedding(false) == "caduceus.backbone.embeddings.word_embeddings.weight");
  CHECK(names::embedding(true) == "caduceus.backbone.embeddings.word_embeddings.embedding.weight");
  CHECK(names::embedding_complement_map() == "caduceus.backbone.embeddings.word_embeddings.complement_map");
  CHECK(names::lm_head_complement_map() == "lm_head.complement_map");
  CHECK(names::norm_f() == "caduceus.backbone.norm_f.weight");
  CHECK(names::layer_norm(3) == "caduceus.backbone.layers.3.norm.weight");
  CHECK(names::mamba_prefix(false, 15, false) == "caduceus.backbone.layers.15.mixer.mamba_fwd.");
  CHECK(names::mamba_prefix(false, 0, true) == "caduceus.backbone.layers.0.mixer.mamba_rev.");
  CHECK(names::mamba_prefix(true, 2, false) == "caduceus.backbone.layers.2.mixer.submodule.mamba_fwd.");
  CHECK(names::mamba_prefix(true, 2, true) == "caduceus.backbone.layers.2.mixer.submodule.mamba_rev.");
}
