#pragma once
/// Embedding lookup: token ids to rows of a table (the model's input embedding; also the complemented LM
/// head's rows).
#include "ops/embedding_gather_params.h"

namespace genomamba::ops {

/// Checks the parameters and runs the op on params.ctx.device.
/// @throws InternalError on inconsistent parameters or an id outside the table, ConfigError for a device or dtype
/// the op lacks.
void embedding_gather(const EmbeddingGatherParams& params);

}  // namespace genomamba::ops
