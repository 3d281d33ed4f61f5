#pragma once
// How the tests start genomamba under MPI: single-threaded ranks, oversubscribed where cores are few, as root
// too (OpenMPI's own switches). Append the rank count and the command: kMpirun + "2 " + command.
#include <string>

namespace genomamba::test {

inline const std::string kMpirun =
    "env OMP_NUM_THREADS=1 OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
    "OMPI_MCA_rmaps_base_oversubscribe=1 mpirun -np ";

}  // namespace genomamba::test
