#pragma once
// Error checks for CUDA calls: failures become genomamba::DeviceError with the statement and location.
#include <cuda_runtime.h>

#include <string>

#include "core/error.h"

#define GM_CUDA_CHECK(stmt)                                                                      \
  do {                                                                                           \
    const cudaError_t gm_err_ = (stmt);                                                          \
    if (gm_err_ != cudaSuccess)                                                                  \
      throw ::genomamba::DeviceError(std::string("CUDA error: ") + cudaGetErrorString(gm_err_) + \
                                     " in '" #stmt "' at " __FILE__ ":" + std::to_string(__LINE__)); \
  } while (0)

// After every kernel launch.
#define GM_CUDA_LAUNCH_CHECK() GM_CUDA_CHECK(cudaGetLastError())
