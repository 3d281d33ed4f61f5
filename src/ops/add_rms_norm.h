#pragma once
/// Fused residual add + RMSNorm.
#include "ops/add_rms_norm_params.h"

namespace genomamba::ops {

/// Checks the parameters and runs the op (CPU). @throws InternalError on inconsistent parameters.
void add_rms_norm(const AddRmsNormParams& params);

namespace cpu {
void add_rms_norm_cpu(const AddRmsNormParams& params);
}  // namespace cpu

}  // namespace genomamba::ops
