#pragma once
/// Rows of a `genomamba ism` job: one per reference position (design §8 ISM layout).
#include <cstdint>
#include <string>
#include <vector>

#include "core/matrix.h"
#include "output/job_format.h"

namespace genomamba::output {

struct IsmBatch : RowBatch {
  std::vector<int64_t> position;  ///< 1-based position on the contig (as -r and VCF POS count)
  std::vector<int8_t> ref;        ///< reference base: 0..3 for A, C, G, T; -1 for anything else
  core::Matrix scores;            ///< [L, 4]: score of A, C, G, T against the reference base (0 on its column)

  int64_t size() const override { return static_cast<int64_t>(position.size()); }
};

}  // namespace genomamba::output
