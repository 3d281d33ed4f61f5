#pragma once
/// Dense projection without bias, on the BLAS (sgemm).
#include "ops/linear_params.h"

namespace genomamba::ops {

/// Checks the parameters and computes y (+)= x W^T. @throws InternalError on inconsistent parameters.
void linear(const LinearParams& params);

namespace cpu {
void linear_cpu(const LinearParams& params);
}  // namespace cpu

}  // namespace genomamba::ops
