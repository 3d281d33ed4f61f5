#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/bounded_queue.h"
#include "core/pipeline.h"

using genomamba::core::BoundedQueue;
using namespace std::chrono_literals;

TEST_CASE("BoundedQueue: first in, first out; close drains then ends", "[core]") {
  BoundedQueue<int> queue(4);
  CHECK(queue.push(1));
  CHECK(queue.push(2));
  queue.close();
  CHECK_FALSE(queue.push(3));
  CHECK(queue.pop() == 1);
  CHECK(queue.pop() == 2);
  CHECK(queue.pop() == std::nullopt);
  CHECK(queue.pop() == std::nullopt);
}

TEST_CASE("BoundedQueue: a full queue blocks the producer until the consumer takes an item", "[core]") {
  BoundedQueue<int> queue(2);
  REQUIRE(queue.push(1));
  REQUIRE(queue.push(2));
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    pushed = queue.push(3);
  });
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(pushed.load());
  CHECK(queue.size() == 2);
  CHECK(queue.pop() == 1);
  producer.join();
  CHECK(pushed.load());
  CHECK(queue.pop() == 2);
  CHECK(queue.pop() == 3);
}

TEST_CASE("BoundedQueue: never holds more than its capacity while a stream passes through", "[core]") {
  BoundedQueue<std::unique_ptr<int>> queue(3);
  constexpr int kItems = 2000;
  std::atomic<size_t> most{0};
  std::atomic<bool> all_pushed{true};
  std::thread producer([&] {  // no Catch2 assertions off the main thread
    for (int i = 0; i < kItems; ++i) {
      if (!queue.push(std::make_unique<int>(i))) all_pushed = false;
      size_t seen = queue.size();
      size_t prev = most.load();
      while (seen > prev && !most.compare_exchange_weak(prev, seen)) {
      }
    }
    queue.close();
  });
  std::vector<int> got;
  while (auto item = queue.pop()) got.push_back(**item);
  producer.join();
  std::vector<int> expected(kItems);
  std::iota(expected.begin(), expected.end(), 0);
  CHECK(all_pushed.load());
  CHECK(got == expected);
  CHECK(most.load() <= 3);
}

TEST_CASE("BoundedQueue: cancel wakes a blocked producer and a blocked consumer and drops items", "[core]") {
  SECTION("producer") {
    BoundedQueue<int> queue(1);
    REQUIRE(queue.push(1));
    std::atomic<int> result{-1};
    std::thread producer([&] { result = queue.push(2) ? 1 : 0; });
    std::this_thread::sleep_for(20ms);
    queue.cancel();
    producer.join();
    CHECK(result.load() == 0);
    CHECK(queue.pop() == std::nullopt);  // the queued item was dropped
  }
  SECTION("consumer") {
    BoundedQueue<int> queue(1);
    std::atomic<bool> ended{false};
    std::thread consumer([&] { ended = !queue.pop().has_value(); });
    std::this_thread::sleep_for(20ms);
    queue.cancel();
    consumer.join();
    CHECK(ended.load());
  }
}

TEST_CASE("BoundedQueue: a capacity of 0 is taken as 1", "[core]") {
  BoundedQueue<int> queue(0);
  CHECK(queue.capacity() == 1);
  CHECK(queue.push(7));
  CHECK(queue.pop() == 7);
}

// The pipeline that the queues serve (core/pipeline.h), with real threads: the ThreadSanitizer run
// (scripts/sanitize.sh tsan) checks these for races between the reader, compute and writer stages.
TEST_CASE("run_pipeline_stages: every item passes the three stages once and in order", "[core][pipeline]") {
  constexpr int kItems = 5000;
  int next = 0;
  std::vector<int> written;
  genomamba::core::run_pipeline_stages<std::unique_ptr<int>, std::vector<int>>(
      [&](std::unique_ptr<int>& work) {
        if (next == kItems) return false;
        work = std::make_unique<int>(next++);
        return true;
      },
      [](std::unique_ptr<int>&& work) { return std::vector<int>(1, *work * 2); },
      [&](std::vector<int>&& done) { written.push_back(done.at(0)); });
  REQUIRE(written.size() == kItems);
  bool in_order = true;
  for (int i = 0; i < kItems; ++i) in_order = in_order && written[static_cast<size_t>(i)] == 2 * i;
  CHECK(in_order);
}

TEST_CASE("run_pipeline_stages: the first error of any stage stops all three and is rethrown",
          "[core][pipeline]") {
  for (const char* failing : {"read", "compute", "write"}) {
    for (int at : {0, 1, 7, 300}) {
      CAPTURE(failing, at);
      const std::string stage = failing;
      int next = 0;
      std::atomic<int> written{0};
      const auto fail_if = [&](const char* name, int item) {
        if (stage == name && item == at) throw std::runtime_error(stage);
      };
      try {
        genomamba::core::run_pipeline_stages<int, int>(
            [&](int& work) {
              fail_if("read", next);
              work = next++;
              return work < 1000;
            },
            [&](int&& work) {
              fail_if("compute", work);
              return work;
            },
            [&](int&& done) {
              fail_if("write", done);
              ++written;
            });
        FAIL("no exception");
      } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()) == stage);
      }
      CHECK(written.load() <= at);
    }
  }
}
