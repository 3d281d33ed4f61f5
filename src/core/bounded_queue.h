#pragma once
/// A small blocking FIFO with a fixed capacity, for the read -> compute -> write pipelines (design §1,
/// house style habit 7, minimap2's kt_pipeline). Producers block while it is full and consumers while it
/// is empty, so memory is bounded by the capacity times the size of one item.
///
/// close(): no more items will come; consumers still receive what is queued, then std::nullopt.
/// cancel(): the pipeline is being torn down (an error somewhere); queued items are dropped, and every
/// blocked or later push() returns false and pop() returns std::nullopt at once.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace genomamba::core {

template <typename T>
class BoundedQueue {
 public:
  /// @param capacity the most items held at once (at least 1).
  explicit BoundedQueue(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  /// Blocks while the queue is full.
  /// @return false (and drops `item`) if the queue was closed or cancelled.
  bool push(T item) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_full_.wait(lock, [this] { return items_.size() < capacity_ || closed_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  /// Blocks while the queue is empty and open.
  /// @return the oldest item, or std::nullopt once the queue is closed and drained, or cancelled.
  std::optional<T> pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    not_empty_.wait(lock, [this] { return !items_.empty() || closed_; });
    if (items_.empty()) return std::nullopt;
    std::optional<T> item(std::move(items_.front()));
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

  /// Ends the stream: later pushes fail; pops drain what is queued, then return std::nullopt.
  void close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    not_full_.notify_all();
    not_empty_.notify_all();
  }

  /// Tears the stream down: drops queued items and wakes every waiting thread.
  void cancel() {
    std::deque<T> dropped;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
      dropped.swap(items_);
      not_full_.notify_all();
      not_empty_.notify_all();
    }
  }  // `dropped` is destroyed outside the lock

  /// Items queued now.
  size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return items_.size();
  }

  size_t capacity() const { return capacity_; }

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace genomamba::core
