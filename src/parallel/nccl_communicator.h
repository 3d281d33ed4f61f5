#pragma once
/// The communicator of GPU ranks (design §6): the layer loop's exchanges (all_gather_on a GPU) go through NCCL
/// on device memory, without a trip through the host; everything else (lengths, results, the broadcasts) goes
/// through the MPI communicator it is built on, which also bootstraps it: rank 0 makes NCCL's unique id and MPI
/// broadcasts it. Compiled where both NCCL and MPI are found (GENOMAMBA_HAVE_NCCL); elsewhere make_nccl()
/// refuses with a clear error.
#include <memory>

#include "core/device.h"
#include "parallel/communicator.h"

namespace genomamba::parallel {

/// Whether this build has NCCL (and MPI, which bootstraps it).
bool built_with_nccl();

/// The NCCL communicator over the ranks of `host` (an MPI communicator; taken over), each rank on its own GPU
/// `device` (NCCL refuses two ranks on one GPU). Collective: every rank calls it.
/// @throws ConfigError when the build has no NCCL; DeviceError when NCCL cannot set up.
std::unique_ptr<Communicator> make_nccl(std::unique_ptr<Communicator> host, core::Device device);

}  // namespace genomamba::parallel
