#pragma once
/// The communicator over MPI (Debian's OpenMPI): CPU buffers directly. Compiled where MPI is found
/// (GENOMAMBA_HAVE_MPI); elsewhere make_mpi() refuses with a clear error.
#include <memory>
#include <string>

#include "parallel/communicator.h"

namespace genomamba::parallel {

/// Whether this build has MPI.
bool built_with_mpi();
/// Whether the process was started by mpirun/mpiexec or srun with more than one rank (read from the launcher's
/// environment, before MPI is initialised).
bool launched_with_ranks();
/// Initialises MPI (once per process; finalised at exit) and returns the communicator of MPI_COMM_WORLD. An
/// MPI error ends the whole job (MPI_ERRORS_ARE_FATAL), never leaves the other ranks waiting.
/// @throws ConfigError when the build has no MPI.
std::unique_ptr<Communicator> make_mpi();

/// "rank R of P: " while this process is one of several MPI ranks (so an error names the rank), else "".
std::string rank_prefix();
/// While this process is one of several MPI ranks: ends every rank of the job with `code` (MPI_Abort), so a
/// rank that fails never leaves the others waiting in a collective. Otherwise returns.
void abort_other_ranks(int code);

}  // namespace genomamba::parallel
