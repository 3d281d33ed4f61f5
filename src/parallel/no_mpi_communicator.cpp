// The MPI entry points in a build without MPI: asking for it is a clear error.
#include "core/error.h"
#include "parallel/mpi_communicator.h"

namespace genomamba::parallel {

bool built_with_mpi() { return false; }
bool launched_with_ranks() { return false; }

std::string rank_prefix() { return ""; }
void abort_other_ranks(int) {}

std::unique_ptr<Communicator> make_mpi() {
  throw ConfigError("--comm mpi: this genomamba was built without MPI (install libopenmpi-dev and rebuild)");
}

}  // namespace genomamba::parallel
