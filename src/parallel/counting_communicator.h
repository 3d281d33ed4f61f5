#pragma once
/// A communicator that counts what another one does: the seconds this rank spends in collectives (waiting for
/// the slowest rank included) and the bytes it sends, so that a run over ranks can report its share of
/// communication (bench/run_ranks.sh, embed's exit summary).
#include <cstdint>
#include <memory>

#include "parallel/communicator.h"

namespace genomamba::parallel {

struct CommunicationTally {
  double seconds = 0.0;     ///< wall time inside the collectives
  int64_t bytes_sent = 0;   ///< this rank's contribution to every collective
  int64_t collectives = 0;  ///< how many were called
  int64_t layer_bytes_sent = 0;   ///< of bytes_sent: the layer loop's exchanges (all_gather_on)
  int64_t layer_collectives = 0;  ///< of collectives: the layer loop's
};

class CountingCommunicator final : public Communicator {
 public:
  explicit CountingCommunicator(std::shared_ptr<Communicator> inner);

  int rank() const override { return inner_->rank(); }
  int size() const override { return inner_->size(); }
  std::string name() const override { return inner_->name(); }
  void all_gather(std::span<const float> send, std::span<float> receive) override;
  void all_reduce_sum(std::span<double> values) override;
  void gather_to_root(std::span<const float> send, std::span<float> receive) override;
  void barrier() override;
  void broadcast_from_root(std::span<std::byte> bytes) override;
  void all_gather_on(core::Device device, const float* send, int64_t count, float* receive) override;

  const CommunicationTally& tally() const { return tally_; }

 private:
  /// Times `call` and adds `bytes` to the tally.
  template <typename F>
  void count(int64_t bytes, F&& call);

  std::shared_ptr<Communicator> inner_;
  CommunicationTally tally_;
};

}  // namespace genomamba::parallel
