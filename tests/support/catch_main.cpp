// The one Catch2 main of every test binary. It counts the test cases run and those that called
// skip_test(): when all of them skipped, the binary exits with kSkipExitCode (CTest: "Skipped").
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <atomic>
#include <string>

#include "support/skip.h"

namespace {

std::atomic<int> g_cases_run{0};
std::atomic<int> g_cases_skipped{0};

struct CaseCounter : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  void testCaseStarting(const Catch::TestCaseInfo&) override { ++g_cases_run; }
};

}  // namespace

CATCH_REGISTER_LISTENER(CaseCounter)

namespace genomamba::test {

void skip_test(const std::string& reason) {
  ++g_cases_skipped;
  WARN("SKIPPED: " << reason);
}

}  // namespace genomamba::test

int main(int argc, char* argv[]) {
  const int failures = Catch::Session().run(argc, argv);
  if (failures == 0 && g_cases_run > 0 && g_cases_skipped == g_cases_run) return genomamba::test::kSkipExitCode;
  return failures;
}
