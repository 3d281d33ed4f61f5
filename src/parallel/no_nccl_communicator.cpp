// The NCCL entry points in a build without NCCL (or without the MPI that bootstraps it): a clear error.
#include "core/error.h"
#include "parallel/nccl_communicator.h"

namespace genomamba::parallel {

bool built_with_nccl() { return false; }

std::unique_ptr<Communicator> make_nccl(std::unique_ptr<Communicator>, core::Device) {
  throw ConfigError("--comm nccl: this genomamba was built without NCCL (needs CUDA, NCCL and MPI at build time); "
                    "use --comm mpi, which stages GPU buffers through host memory");
}

}  // namespace genomamba::parallel
