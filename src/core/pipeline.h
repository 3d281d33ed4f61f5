#pragma once
/// The read -> compute -> write pipeline of every genomamba command (design §1): a reader thread, the
/// calling thread computing (OpenMP inside), and a writer thread, joined by bounded queues so memory is
/// bounded by a few batches. The first exception of any stage stops all three and is rethrown.
/// SIGINT/SIGTERM (core/interrupt.h) are looked at before each batch is computed: the reader stops, the
/// writer still writes the batches already computed, and then core::Interrupted is thrown.
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "core/bounded_queue.h"
#include "core/interrupt.h"

namespace genomamba::core {

/// Batches each queue holds: enough to keep every stage busy, few enough to bound memory.
inline constexpr size_t kPipelineQueueBatches = 2;

/// The first exception of any stage; later ones (consequences of the teardown) are dropped.
class FirstError {
 public:
  void set(std::exception_ptr error) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!error_) error_ = std::move(error);
  }
  void rethrow_if_set() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr error_;
};

/// Runs the three stages until `read` reports the end of the input.
/// @param read    bool(Work&): fills the next work item (on the reader thread); false at the end
/// @param compute Done(Work&&): turns work into a result (on the calling thread)
/// @param write   void(Done&&): consumes the results in order (on the writer thread)
template <typename Work, typename Done, typename Read, typename Compute, typename Write>
void run_pipeline_stages(Read&& read, Compute&& compute, Write&& write) {
  BoundedQueue<Work> to_compute(kPipelineQueueBatches);
  BoundedQueue<Done> to_write(kPipelineQueueBatches);
  FirstError error;
  const auto fail = [&](std::exception_ptr e) {
    error.set(std::move(e));
    to_compute.cancel();
    to_write.cancel();
  };
  const auto read_stage = [&] {
    try {
      Work work{};
      while (read(work)) {
        if (!to_compute.push(std::move(work))) return;
        work = Work{};
      }
      to_compute.close();
    } catch (...) {
      fail(std::current_exception());
    }
  };
  const auto write_stage = [&] {
    try {
      while (std::optional<Done> done = to_write.pop()) write(std::move(*done));
    } catch (...) {
      fail(std::current_exception());
    }
  };

  std::thread reader_thread;
  std::thread writer_thread;
  try {
    reader_thread = std::thread(read_stage);
    writer_thread = std::thread(write_stage);
    while (std::optional<Work> work = to_compute.pop()) {
      if (interrupt_signal() != 0) {
        to_compute.cancel();  // the reader stops; what is computed is still written (to_write is closed)
        break;
      }
      Done done = compute(std::move(*work));
      work.reset();  // the input of the batch is no longer needed while its result waits for the writer
      if (!to_write.push(std::move(done))) break;
    }
    to_write.close();
  } catch (...) {
    fail(std::current_exception());
  }
  if (reader_thread.joinable()) reader_thread.join();
  if (writer_thread.joinable()) writer_thread.join();
  error.rethrow_if_set();
  throw_if_interrupted();
}

}  // namespace genomamba::core
