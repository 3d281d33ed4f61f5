#include "parallel/communicator.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "core/buffer.h"
#include "core/error.h"

namespace genomamba::parallel {
namespace {

class SingleProcess final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::string name() const override { return "none"; }
  void all_gather(std::span<const float> send, std::span<float> receive) override {
    GM_CHECK(receive.size() == send.size(), "all_gather: receive must hold size() * send.size() floats");
    std::copy(send.begin(), send.end(), receive.begin());
  }
  void all_reduce_sum(std::span<double>) override {}
  void gather_to_root(std::span<const float> send, std::span<float> receive) override {
    GM_CHECK(receive.size() == send.size(), "gather_to_root: receive must hold every rank's floats");
    std::copy(send.begin(), send.end(), receive.begin());
  }
  void barrier() override {}
  void broadcast_from_root(std::span<std::byte>) override {}
};

}  // namespace

void Communicator::all_gather_on(core::Device device, const float* send, int64_t count, float* receive) {
  GM_CHECK(count >= 0, "all_gather_on: count must be >= 0");
  const auto n = static_cast<size_t>(count), total = n * static_cast<size_t>(size());
  if (device.is_cpu()) {
    all_gather({send, n}, {receive, total});
    return;
  }
  std::vector<float> host_send(n), host_receive(total);
  if (count > 0) core::download_rows(device, host_send.data(), count, send, count, 1, count);
  all_gather(host_send, host_receive);
  core::upload_bytes(device, receive, host_receive.data(), total * sizeof(float));
}

std::unique_ptr<Communicator> make_single_process() { return std::make_unique<SingleProcess>(); }

Shard shard_of(int64_t length, int rank, int size) {
  GM_CHECK(size >= 1 && rank >= 0 && rank < size && length >= 0, "shard_of: rank must be in 0..size-1");
  return {length * rank / size, length * (rank + 1) / size};
}

int local_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_LOCAL_RANK", "SLURM_LOCALID", "MPI_LOCALRANKID"}) {
    const char* value = std::getenv(name);
    if (value && *value) return std::max(0, std::atoi(value));
  }
  return 0;
}

}  // namespace genomamba::parallel
