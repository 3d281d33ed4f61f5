#include "parallel/communicator.h"

#include <algorithm>

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
};

}  // namespace

std::unique_ptr<Communicator> make_single_process() { return std::make_unique<SingleProcess>(); }

Shard shard_of(int64_t length, int rank, int size) {
  GM_CHECK(size >= 1 && rank >= 0 && rank < size && length >= 0, "shard_of: rank must be in 0..size-1");
  return {length * rank / size, length * (rank + 1) / size};
}

}  // namespace genomamba::parallel
