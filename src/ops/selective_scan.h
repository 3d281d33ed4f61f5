#pragma once
/// Mamba-1 selective scan (+ D skip + SiLU(z) gate), carried across tiles.
#include "ops/selective_scan_params.h"

namespace genomamba::ops {

void selective_scan(const SelectiveScanParams& params);

namespace cpu {
void selective_scan_cpu(const SelectiveScanParams& params);
}  // namespace cpu

}  // namespace genomamba::ops
