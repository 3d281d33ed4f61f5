// The MPI communicator. Collectives on MPI_COMM_WORLD in float / double; sizes beyond an int go through in
// pieces of at most 2^30 elements (gather_to_root) so no MPI count overflows.
#include "parallel/mpi_communicator.h"

#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.h"

namespace genomamba::parallel {
namespace {

constexpr int64_t kPiece = int64_t{1} << 30;  // elements per MPI call

int as_count(int64_t n) {
  GM_CHECK(n >= 0 && n <= kPiece, "MPI communicator: a message larger than 2^30 elements");
  return static_cast<int>(n);
}

class Mpi final : public Communicator {
 public:
  Mpi() {
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (!initialised) {
      int provided = 0;
      MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
      std::atexit([] {
        int finalised = 0;
        MPI_Finalized(&finalised);
        if (!finalised) MPI_Finalize();
      });
    }
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string name() const override { return "mpi"; }

  void all_gather(std::span<const float> send, std::span<float> receive) override {
    GM_CHECK(receive.size() == send.size() * static_cast<size_t>(size_),
             "all_gather: receive must hold size() * send.size() floats");
    const int n = as_count(static_cast<int64_t>(send.size()));
    MPI_Allgather(send.data(), n, MPI_FLOAT, receive.data(), n, MPI_FLOAT, MPI_COMM_WORLD);
  }

  void all_reduce_sum(std::span<double> values) override {
    MPI_Allreduce(MPI_IN_PLACE, values.data(), as_count(static_cast<int64_t>(values.size())), MPI_DOUBLE, MPI_SUM,
                  MPI_COMM_WORLD);
  }

  void gather_to_root(std::span<const float> send, std::span<float> receive) override {
    // Every rank's size first; then rank by rank, in pieces (rank 0 copies its own).
    int64_t mine = static_cast<int64_t>(send.size());
    std::vector<int64_t> sizes(static_cast<size_t>(size_));
    MPI_Allgather(&mine, 1, MPI_INT64_T, sizes.data(), 1, MPI_INT64_T, MPI_COMM_WORLD);
    if (rank_ == 0) {
      int64_t total = 0;
      for (int64_t s : sizes) total += s;
      GM_CHECK(static_cast<int64_t>(receive.size()) == total, "gather_to_root: receive must hold every rank's floats");
      std::copy(send.begin(), send.end(), receive.begin());
      int64_t at = mine;
      for (int r = 1; r < size_; ++r) {
        for (int64_t done = 0; done < sizes[static_cast<size_t>(r)];) {
          const int64_t n = std::min(kPiece, sizes[static_cast<size_t>(r)] - done);
          MPI_Recv(receive.data() + at + done, as_count(n), MPI_FLOAT, r, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          done += n;
        }
        at += sizes[static_cast<size_t>(r)];
      }
    } else {
      for (int64_t done = 0; done < mine;) {
        const int64_t n = std::min(kPiece, mine - done);
        MPI_Send(send.data() + done, as_count(n), MPI_FLOAT, 0, 0, MPI_COMM_WORLD);
        done += n;
      }
    }
  }

  void barrier() override { MPI_Barrier(MPI_COMM_WORLD); }

  void broadcast_from_root(std::span<std::byte> bytes) override {
    MPI_Bcast(bytes.data(), as_count(static_cast<int64_t>(bytes.size())), MPI_BYTE, 0, MPI_COMM_WORLD);
  }

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace

bool built_with_mpi() { return true; }

bool launched_with_ranks() {
  // mpirun (OpenMPI), PMI launchers (MPICH, srun --mpi=pmi2/pmix), and srun steps (SLURM_STEP_NUM_TASKS is set
  // for the tasks of a step only, not for a batch script that merely holds several tasks).
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "SLURM_STEP_NUM_TASKS"}) {
    const char* value = std::getenv(name);
    if (value && std::atoi(value) > 1) return true;
  }
  return false;
}

std::unique_ptr<Communicator> make_mpi() { return std::make_unique<Mpi>(); }

namespace {

/// This rank and the count when MPI runs with more than one rank.
bool ranked(int& rank, int& size) {
  int initialised = 0, finalised = 0;
  MPI_Initialized(&initialised);
  MPI_Finalized(&finalised);
  if (!initialised || finalised) return false;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size > 1;
}

}  // namespace

std::string rank_prefix() {
  int rank = 0, size = 1;
  return ranked(rank, size) ? "rank " + std::to_string(rank) + " of " + std::to_string(size) + ": " : "";
}

void abort_other_ranks(int code) {
  int rank = 0, size = 1;
  if (ranked(rank, size)) MPI_Abort(MPI_COMM_WORLD, code);
}

}  // namespace genomamba::parallel
