// SIGINT/SIGTERM handling (core/interrupt.h) and the pipeline's stop between batches (core/pipeline.h).
#include "core/interrupt.h"

#include <catch2/catch.hpp>

#include <signal.h>

#include <vector>

#include "core/error.h"
#include "core/pipeline.h"

using genomamba::core::Interrupted;
using genomamba::core::InterruptScope;
using genomamba::core::interrupt_signal;

namespace {

void (*current_handler(int signal))(int) {
  struct sigaction action {};
  sigaction(signal, nullptr, &action);
  return action.sa_handler;
}

}  // namespace

TEST_CASE("InterruptScope: a signal is recorded, the next one gets the default action, the old one comes back",
          "[core]") {
  const auto before = current_handler(SIGTERM);
  {
    InterruptScope scope;
    CHECK(interrupt_signal() == 0);
    CHECK(current_handler(SIGTERM) != before);
    CHECK_NOTHROW(genomamba::core::throw_if_interrupted());
    raise(SIGTERM);  // recorded, not fatal
    CHECK(interrupt_signal() == SIGTERM);
    // A second SIGINT or SIGTERM would end the process at once.
    CHECK(current_handler(SIGTERM) == SIG_DFL);
    CHECK(current_handler(SIGINT) == SIG_DFL);
    try {
      genomamba::core::throw_if_interrupted();
      FAIL("no exception");
    } catch (const Interrupted& e) {
      CHECK(e.signal() == SIGTERM);
      CHECK(std::string(e.what()) == "interrupted by SIGTERM");
      CHECK(genomamba::exit_code_for(e) == 128 + SIGTERM);
    }
  }
  CHECK(current_handler(SIGTERM) == before);
  InterruptScope again;  // a new scope starts with a clear record
  CHECK(interrupt_signal() == 0);
}

TEST_CASE("run_pipeline_stages: a signal stops it before the next batch; computed batches are still written",
          "[core]") {
  InterruptScope scope;
  int next = 0;
  std::vector<int> computed, written;
  const auto run = [&] {
    genomamba::core::run_pipeline_stages<int, int>(
        [&](int& work) {
          work = next++;
          return work < 1000;
        },
        [&](int&& work) {
          computed.push_back(work);
          if (work == 3) raise(SIGINT);
          return work;
        },
        [&](int&& done) { written.push_back(done); });
  };
  try {
    run();
    FAIL("no exception");
  } catch (const Interrupted& e) {
    CHECK(e.signal() == SIGINT);
    CHECK(genomamba::exit_code_for(e) == 128 + SIGINT);
  }
  CHECK(computed == std::vector<int>{0, 1, 2, 3});
  CHECK(written == computed);
  CHECK(next < 1000);
}
