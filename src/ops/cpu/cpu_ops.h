#pragma once
/// The CPU implementations of the ops, called only by the dispatchers in src/ops/<op>.cpp (and by tests that
/// compare one backend with another). Callers elsewhere use the public ops::<op>() entry points.
#include "ops/add_rms_norm_params.h"
#include "ops/causal_conv1d_params.h"
#include "ops/compose_scan_states_params.h"
#include "ops/embedding_gather_params.h"
#include "ops/linear_params.h"
#include "ops/residual_add_params.h"
#include "ops/reverse_rows_params.h"
#include "ops/selective_scan_params.h"

namespace genomamba::ops::cpu {

void add_rms_norm_cpu(const AddRmsNormParams& params);
void causal_conv1d_cpu(const CausalConv1dParams& params);
void compose_scan_states_cpu(const ComposeScanStatesParams& params);
void embedding_gather_cpu(const EmbeddingGatherParams& params);
void linear_cpu(const LinearParams& params);
void residual_add_cpu(const ResidualAddParams& params);
void reverse_rows_cpu(const ReverseRowsParams& params);
/// Runs the SIMD variant chosen at start-up (cpu_features.h); simd_kernels.h runs a given one.
void selective_scan_cpu(const SelectiveScanParams& params);

}  // namespace genomamba::ops::cpu
