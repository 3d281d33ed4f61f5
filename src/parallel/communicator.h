#pragma once
/// What the engine needs from the processes one sequence is split over (sequence parallelism, design §6,
/// performance.md §3): its rank, how many there are, collective exchanges of the small buffers of every layer
/// (the conv halos and the scan summaries, in the memory of the engine's device) and of host results. Defined
/// below the model so that the model does not depend on MPI: the single-process communicator is here; MPI
/// (mpi_communicator.h) and NCCL (nccl_communicator.h) implement the same interface.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "core/device.h"

namespace genomamba::parallel {

class Communicator {
 public:
  virtual ~Communicator() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// "none", "mpi", ...: what the logs and provenance call it.
  virtual std::string name() const = 0;

  /// Every rank's `send` (the same size on every rank), concatenated in rank order into `receive`
  /// (size() * send.size() floats).
  virtual void all_gather(std::span<const float> send, std::span<float> receive) = 0;
  /// Element-wise sums over the ranks, in place on every rank.
  virtual void all_reduce_sum(std::span<double> values) = 0;
  /// The ranks' `send` (each its own size) concatenated in rank order into `receive` on rank 0 (ignored
  /// elsewhere; size: the sum of the sizes); large results go through in bounded pieces.
  virtual void gather_to_root(std::span<const float> send, std::span<float> receive) = 0;
  virtual void barrier() = 0;
  /// Rank 0's `bytes` copied into `bytes` on every rank (the same size everywhere).
  virtual void broadcast_from_root(std::span<std::byte> bytes) = 0;

  /// all_gather of `count` floats per rank held in `device`'s memory (`receive`: size() * count floats there):
  /// what the layer loop exchanges. On the CPU it is all_gather; on a GPU this version stages the buffers
  /// through host memory, and NCCL's exchanges device memory directly.
  virtual void all_gather_on(core::Device device, const float* send, int64_t count, float* receive);
};

/// One process: rank 0 of 1; the collectives copy.
std::unique_ptr<Communicator> make_single_process();

/// The rows [begin, end) of a sequence of `length` rows that `rank` of `size` holds: contiguous shards in rank
/// order, their lengths differing by at most one (a shard may be empty when length < size).
struct Shard {
  int64_t begin = 0;
  int64_t end = 0;
  int64_t size() const { return end - begin; }
};
Shard shard_of(int64_t length, int rank, int size);

/// This process's rank among the ranks on its node, from the launcher's environment (OpenMPI's mpirun, srun,
/// MPICH's Hydra; 0 otherwise): a rank that may see several GPUs takes this one modulo their count.
int local_rank();

}  // namespace genomamba::parallel
