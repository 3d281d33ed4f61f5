#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/error.h"
#include "core/progress.h"

using namespace genomamba::core;
using Catch::Contains;

namespace {

// A FILE* whose text can be read back (open_memstream).
class MemoryStream {
 public:
  MemoryStream() : file_(open_memstream(&buffer_, &size_)) { REQUIRE(file_ != nullptr); }
  ~MemoryStream() {
    std::fclose(file_);
    std::free(buffer_);
  }
  MemoryStream(const MemoryStream&) = delete;
  MemoryStream& operator=(const MemoryStream&) = delete;
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    return std::string(buffer_, size_);
  }

 private:
  char* buffer_ = nullptr;
  size_t size_ = 0;
  std::FILE* file_;
};

ProgressCounts counts(int64_t records, int64_t windows, int64_t tokens, int64_t bases_done) {
  ProgressCounts c;
  c.records = records;
  c.windows = windows;
  c.tokens = tokens;
  c.bases_done = bases_done;
  return c;
}

}  // namespace

TEST_CASE("progress: shown on a TTY or with always, never with -q or never", "[core]") {
  CHECK(progress_enabled(ProgressMode::AUTO, false, true));
  CHECK_FALSE(progress_enabled(ProgressMode::AUTO, false, false));
  CHECK(progress_enabled(ProgressMode::ALWAYS, false, false));
  CHECK_FALSE(progress_enabled(ProgressMode::NEVER, false, true));
  CHECK_FALSE(progress_enabled(ProgressMode::ALWAYS, true, true));
  CHECK(parse_progress_mode("always") == ProgressMode::ALWAYS);
  CHECK_THROWS_AS(parse_progress_mode("sometimes"), genomamba::ConfigError);
}

TEST_CASE("progress: counts, durations and the line with and without a known total", "[core]") {
  CHECK(format_count(950) == "950");
  CHECK(format_count(52100) == "52.1k");
  CHECK(format_count(1969000) == "1.97M");
  CHECK(format_count(999999) == "1.00M");
  CHECK(format_duration(80) == "0:01:20");
  CHECK(format_duration(3 * 3600 + 7) == "3:00:07");

  CHECK(format_progress(counts(3, 120, 2000000, 500), 10.0, -1) ==
        "3 records, 120 windows, 2.00M tokens, 200k tokens/s");
  // Half of 1000 bases in 10 s: 10 s to go.
  CHECK(format_progress(counts(1, 1, 500, 500), 10.0, 1000) ==
        "1 record, 1 window, 500 tokens, 50 tokens/s, 50%, ETA 0:00:10");
  // Resumed at base 400: 100 bases in 10 s, 500 to go.
  ProgressCounts resumed = counts(1, 5, 100, 500);
  resumed.bases_resumed = 400;
  CHECK_THAT(format_progress(resumed, 10.0, 1000), Contains("50%, ETA 0:00:50"));
}

TEST_CASE("progress: redraws in place at most every interval and ends with a newline", "[core]") {
  MemoryStream out;
  double now = 0.0;
  ProgressMeter meter(true, out.file(), -1, [&now] { return now; }, 0.5);
  meter.update(counts(1, 1, 10, 10));  // first update draws
  now = 0.1;
  meter.update(counts(1, 2, 20, 20));  // too soon
  now = 0.7;
  meter.update(counts(2, 3, 30, 30));
  meter.finish();
  meter.update(counts(9, 9, 90, 90));  // after finish: nothing
  const std::string text = out.text();
  CHECK(text.find("2 windows") == std::string::npos);
  CHECK_THAT(text, Contains("\r1 record, 1 window, 10 tokens") && Contains("\r2 records, 3 windows, 30 tokens"));
  REQUIRE(!text.empty());
  CHECK(text.back() == '\n');
  CHECK(std::count(text.begin(), text.end(), '\n') == 1);
  CHECK(std::count(text.begin(), text.end(), '\r') == 3);  // two updates and the final draw
}

TEST_CASE("progress: a disabled meter writes nothing", "[core]") {
  MemoryStream out;
  ProgressMeter meter(false, out.file(), 100);
  meter.update(counts(1, 1, 1, 1));
  meter.finish();
  CHECK(out.text().empty());
}
