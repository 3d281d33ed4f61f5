#include "parallel/counting_communicator.h"

#include <chrono>
#include <utility>

#include "core/error.h"

namespace genomamba::parallel {

CountingCommunicator::CountingCommunicator(std::shared_ptr<Communicator> inner) : inner_(std::move(inner)) {
  GM_CHECK(inner_ != nullptr, "CountingCommunicator: needs a communicator");
}

template <typename F>
void CountingCommunicator::count(int64_t bytes, F&& call) {
  const auto start = std::chrono::steady_clock::now();
  std::forward<F>(call)();
  tally_.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  tally_.bytes_sent += bytes;
  ++tally_.collectives;
}

void CountingCommunicator::all_gather(std::span<const float> send, std::span<float> receive) {
  count(static_cast<int64_t>(send.size_bytes()), [&] { inner_->all_gather(send, receive); });
}

void CountingCommunicator::all_reduce_sum(std::span<double> values) {
  count(static_cast<int64_t>(values.size_bytes()), [&] { inner_->all_reduce_sum(values); });
}

void CountingCommunicator::gather_to_root(std::span<const float> send, std::span<float> receive) {
  count(rank() == 0 ? 0 : static_cast<int64_t>(send.size_bytes()), [&] { inner_->gather_to_root(send, receive); });
}

void CountingCommunicator::barrier() {
  count(0, [&] { inner_->barrier(); });
}

void CountingCommunicator::broadcast_from_root(std::span<std::byte> bytes) {
  count(rank() == 0 ? static_cast<int64_t>(bytes.size()) : 0, [&] { inner_->broadcast_from_root(bytes); });
}

void CountingCommunicator::all_gather_on(core::Device device, const float* send, int64_t count_floats, float* receive) {
  const auto bytes = count_floats * static_cast<int64_t>(sizeof(float));
  count(bytes, [&] { inner_->all_gather_on(device, send, count_floats, receive); });
  tally_.layer_bytes_sent += bytes;
  ++tally_.layer_collectives;
}

}  // namespace genomamba::parallel
