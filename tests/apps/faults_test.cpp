// Faults in the middle of a run (issue 11 item 5; docs/reliability.md, "Faults"): SIGTERM and SIGINT end a
// run cleanly (exit 128 + signal, batches kept, temporary files gone, a message saying how to resume);
// SIGKILL at random moments followed by --resume gives the uninterrupted result, for embed and score; a
// full disk gives exit 3, the path and the cause, and a resumable partial (on a small tmpfs this test mounts;
// where mount is refused the test prints "SKIPPED:" and CTest reports it skipped).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "output/h5_compare.h"
#include "support/data_path.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

extern char** environ;

using Catch::Contains;
using genomamba::test::CommandResult;
using genomamba::test::read_file;
using genomamba::test::run_command;
using genomamba::test::run_genomamba;
using genomamba::test::TempDir;
using genomamba::test::write_file;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// ---- inputs: random bases (fixed seed), a FASTA for embed and a reference + VCF of SNVs for score ----

constexpr int kBatches = 18;  // of each command: the commit points

std::string random_bases(std::mt19937& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "ACGT"[rng() % 4];
  return s;
}

std::string fasta_text(const std::vector<std::string>& records) {
  std::string text;
  for (size_t r = 0; r < records.size(); ++r) {
    text += ">rec" + std::to_string(r) + "\n";
    for (size_t i = 0; i < records[r].size(); i += 60) text += records[r].substr(i, 60) + "\n";
  }
  return text;
}

// A command (embed or score) with its inputs and its uninterrupted result.
struct Workload {
  std::string name;
  std::function<std::string(const fs::path& out)> args;  // the command line for an output
  std::function<void(const fs::path& got, const fs::path& expected)> compare;
  fs::path expected;
  double seconds = 0;  // wall time of the uninterrupted run
};

void same_score_datasets(const fs::path& a, const fs::path& b) {
  INFO(a.string() + " vs " + b.string());
  genomamba::test::H5File fa(a), fb(b);
  for (const char* name : {"/variants/chrom", "/variants/id", "/variants/ref", "/variants/alt", "/records/line"}) {
    INFO(name);
    CHECK(fa.strings(name) == fb.strings(name));
  }
  for (const char* name : {"/variants/pos", "/variants/allele", "/variants/status", "/records/offset"}) {
    INFO(name);
    CHECK(fa.ints(name) == fb.ints(name));
  }
  for (const char* name : {"/scores/llr", "/scores/wt_llr", "/scores/emb_cos", "/scores/emb_l2"}) {
    INFO(name);
    CHECK(genomamba::test::same_bits(fa.floats(name), fb.floats(name)));
  }
}

struct Inputs {
  TempDir dir;
  Workload embed, score;
  Inputs() {
    std::mt19937 rng(20261206);
    // embed: 6 records of 300 bases, window 64 stride 48: 36 windows in 18 batches of 2.
    std::vector<std::string> records;
    for (int r = 0; r < 6; ++r) records.push_back(random_bases(rng, 300));
    const fs::path fasta = dir / "in.fa";
    write_file(fasta, fasta_text(records));
    const std::string model = genomamba::test::fixture_model("ph_tiny");
    embed.name = "embed";
    embed.args = [=](const fs::path& out) {
      return "embed -m " + model + " -i " + fasta.string() + " -o " + out.string() +
             " --window 64 --stride 48 --batch 2 --per-position --logits -@ 1 -q";
    };
    embed.compare = [](const fs::path& got, const fs::path& expected) {
      genomamba::test::require_same_datasets(got, expected);
    };
    // score: 36 SNVs on one 2,000-base contig, 18 batches of 2 records.
    const std::string contig = random_bases(rng, 2000);
    const fs::path reference = dir / "ref.fa";
    write_file(reference, ">chrA\n" + contig + "\n");
    REQUIRE(run_command("samtools faidx " + reference.string()).exit_code == 0);
    std::string vcf = "##fileformat=VCFv4.2\n##contig=<ID=chrA,length=2000>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
    for (int k = 0; k < kBatches * 2; ++k) {
      const int pos = 20 + k * 26;
      const char ref = contig[static_cast<size_t>(pos - 1)];
      const char alt = ref == 'A' ? 'C' : 'A';
      vcf += "chrA\t" + std::to_string(pos) + "\tv" + std::to_string(k) + "\t" + ref + "\t" + alt + "\t.\tPASS\t.\n";
    }
    const fs::path variants = dir / "v.vcf";
    write_file(variants, vcf);
    score.name = "score";
    score.args = [=](const fs::path& out) {
      return "score -m " + model + " -v " + variants.string() + " -f " + reference.string() + " -o " + out.string() +
             " --window 101 --batch 2 -@ 1 -q";
    };
    score.compare = same_score_datasets;
    for (Workload* w : {&embed, &score}) {
      w->expected = dir / (w->name + "_expected.h5");
      const auto start = Clock::now();
      const CommandResult r = run_genomamba(w->args(w->expected));
      w->seconds = std::chrono::duration<double>(Clock::now() - start).count();
      if (r.exit_code != 0) throw std::runtime_error("uninterrupted " + w->name + " failed: " + r.err);
    }
  }
};

const Inputs& inputs() {
  static const Inputs instance;
  return instance;
}

// ---- processes ----

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::string word;
  for (const char c : text + " ") {
    if (c != ' ') {
      word += c;
    } else if (!word.empty()) {
      out.push_back(word);
      word.clear();
    }
  }
  return out;
}

// Starts this build's genomamba with `args` (split on spaces), stdout to /dev/null, stderr to `log`;
// a non-empty `tmpdir` becomes its TMPDIR.
pid_t start(const std::string& args, const fs::path& log, const std::string& tmpdir = "") {
  std::vector<std::string> argv_text = words(args);
  argv_text.insert(argv_text.begin(), genomamba::test::genomamba_binary().string());
  std::vector<char*> argv;
  for (auto& word : argv_text) argv.push_back(word.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text;
  for (char** e = environ; *e; ++e) {
    if (tmpdir.empty() || std::string(*e).rfind("TMPDIR=", 0) != 0) env_text.emplace_back(*e);
  }
  if (!tmpdir.empty()) env_text.push_back("TMPDIR=" + tmpdir);
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(spawned == 0);
  return pid;
}

// Waits until `ready()` holds (true) or the process exits (false; `status` is then its wait status).
bool wait_until(pid_t pid, const std::function<bool()>& ready, int& status) {
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  while (Clock::now() < deadline) {
    if (ready()) return true;
    if (waitpid(pid, &status, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  FAIL("the run neither got ready nor ended within 120 s");
  return false;
}

int finish(pid_t pid) {
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  return status;
}

fs::path batch_folder(const fs::path& out) { return fs::path(out.string() + ".partial.d"); }

fs::path batch_file(const fs::path& out, int index) {
  char name[32];
  std::snprintf(name, sizeof name, "batch_%06d.h5", index);
  return batch_folder(out) / name;
}

int count_batches(const fs::path& out) {
  int n = 0;
  while (fs::exists(batch_file(out, n))) ++n;
  return n;
}

// Files a stopped run must not leave: half-written batches, the lock, a partial output.
void check_no_temporary_files(const fs::path& out) {
  CHECK_FALSE(fs::exists(out.string() + ".lock"));
  CHECK_FALSE(fs::exists(out.string() + ".partial"));
  CHECK_FALSE(fs::exists(batch_folder(out).string() + ".tmp"));
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(batch_folder(out), ec)) {
    const std::string name = entry.path().filename().string();
    INFO(name);
    CHECK((name == "job.json" || (name.rfind("batch_", 0) == 0 && name.size() == 15)));
  }
}

void resume_and_compare(const Workload& w, const fs::path& out) {
  const CommandResult r = run_genomamba(w.args(out) + " --resume");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(fs::exists(batch_folder(out)));
  check_no_temporary_files(out);
  w.compare(out, w.expected);
}

}  // namespace

TEST_CASE("genomamba embed: SIGTERM or SIGINT stops between batches, keeps them and says how to resume",
          "[apps][faults]") {
  const Workload& w = inputs().embed;
  const int signal = GENERATE(SIGTERM, SIGINT);
  const std::string name = signal == SIGTERM ? "SIGTERM" : "SIGINT";
  TempDir dir;
  const fs::path out = dir / "out.h5";
  const pid_t pid = start(w.args(out), dir / "log");
  int status = 0;
  REQUIRE(wait_until(pid, [&] { return fs::exists(batch_file(out, 2)); }, status));
  kill(pid, signal);
  status = finish(pid);
  const std::string err = read_file(dir / "log");
  INFO(err);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 128 + signal);
  CHECK_THAT(err, Contains("genomamba embed: error: interrupted by " + name + " after ") &&
                      Contains(" windows (kept in " + batch_folder(out).string() + "); run the same command with "
                               "--resume to continue"));
  CHECK_FALSE(fs::exists(out));
  CHECK(count_batches(out) >= 3);
  check_no_temporary_files(out);
  resume_and_compare(w, out);
}

TEST_CASE("genomamba score -o -: SIGTERM removes the private batch folder", "[apps][faults]") {
  const Workload& w = inputs().score;
  TempDir dir;
  const fs::path tmp = dir / "tmp";
  fs::create_directory(tmp);
  const pid_t pid = start(w.args("-"), dir / "log", tmp.string());
  const auto has_batches = [&] {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(tmp, ec)) {
      if (fs::exists(entry.path() / "batches" / "batch_000001.h5")) return true;
    }
    return false;
  };
  int status = 0;
  REQUIRE(wait_until(pid, has_batches, status));
  kill(pid, SIGTERM);
  status = finish(pid);
  const std::string err = read_file(dir / "log");
  INFO(err);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 128 + SIGTERM);
  CHECK_THAT(err, Contains("interrupted by SIGTERM after ") && Contains("standard output cannot be resumed"));
  CHECK(fs::is_empty(tmp));
}

TEST_CASE("genomamba embed and score: SIGKILL at 24 random moments each, then --resume, equals the "
          "uninterrupted run", "[apps][faults][slow]") {
  const char* seed_text = std::getenv("GM_KILL_SEED");
  const unsigned seed = seed_text ? static_cast<unsigned>(std::stoul(seed_text)) : std::random_device{}();
  INFO("GM_KILL_SEED=" << seed);
  std::mt19937 rng(seed);
  constexpr int kKills = 24;
  for (const Workload* w : {&inputs().embed, &inputs().score}) {
    INFO(w->name);
    // Kill points spread over the whole run (start-up and model load included) and a little past its end.
    std::uniform_real_distribution<double> moment(0.0, 1.1 * w->seconds);
    int before_first = 0, between_batches = 0, assembling = 0, finished = 0, twice = 0;
    const auto loop_start = Clock::now();
    for (int i = 0; i < kKills; ++i) {
      TempDir dir;
      const fs::path out = dir / "out.h5";
      const double at = moment(rng);
      INFO("kill " << i << " at " << at << " s");
      const pid_t pid = start(w->args(out), dir / "log");
      int status = 0;
      const auto deadline = Clock::now() + std::chrono::duration<double>(at);
      if (wait_until(pid, [&] { return Clock::now() >= deadline; }, status)) {
        kill(pid, SIGKILL);  // it may have ended just now: then finish() collects its exit status
        status = finish(pid);
      } else {
        CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
      }
      if (fs::exists(out.string() + ".partial")) ++assembling;
      else if (fs::exists(out)) ++finished;
      else if (count_batches(out) > 0) ++between_batches;
      else ++before_first;
      // Every third point: the resumed run is killed too, at another random moment.
      if (i % 3 == 2) {
        ++twice;
        const pid_t again = start(w->args(out) + " --resume", dir / "log2");
        const auto deadline2 = Clock::now() + std::chrono::duration<double>(moment(rng));
        if (wait_until(again, [&] { return Clock::now() >= deadline2; }, status)) {
          kill(again, SIGKILL);
          finish(again);
        }
      }
      resume_and_compare(*w, out);
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - loop_start).count();
    std::cout << "kill loop " << w->name << ": " << kKills << " SIGKILLs (+" << twice << " during --resume), landed "
              << before_first << " before the first batch, " << between_batches << " among the batches, "
              << assembling << " while assembling, " << finished << " after the end; uninterrupted run "
              << w->seconds << " s; loop " << seconds << " s; seed " << seed << "\n";
  }
}

namespace {

// A tmpfs mounted on `dir` for the object's lifetime (needs root); resize() changes its size in place.
class TmpfsMount {
 public:
  TmpfsMount(const fs::path& dir, const std::string& size) : dir_(dir) {
    fs::create_directories(dir);
    const CommandResult r = run_command("mount -t tmpfs -o size=" + size + " tmpfs '" + dir.string() + "'");
    mounted_ = r.exit_code == 0;
    error_ = r.err;
  }
  ~TmpfsMount() {
    if (mounted_) run_command("umount -l '" + dir_.string() + "'");
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  const fs::path& dir() const { return dir_; }
  bool resize(const std::string& size) const {
    return run_command("mount -o remount,size=" + size + " '" + dir_.string() + "'").exit_code == 0;
  }
  // Bytes in use now (whole 4-KiB pages, as tmpfs counts them).
  uintmax_t used() const {
    const fs::space_info s = fs::space(dir_);
    return s.capacity - s.free;
  }

 private:
  fs::path dir_;
  bool mounted_ = false;
  std::string error_;
};

// The data lines of a VCF (the header names paths and the command line, which differ between runs).
std::string vcf_records(const fs::path& path) {
  std::string records, line;
  std::istringstream in(read_file(path));
  while (std::getline(in, line)) {
    if (line.rfind("#", 0) != 0) records += line + "\n";
  }
  return records;
}

// Runs `args` for `out` on a disk that fills up: while committing batches (it holds about three), or with
// `while_assembling` once every batch is committed. Exit 3, one error line naming the disk and the cause, no
// temporary files; after the disk grows, --resume finishes and `check` compares the result.
void full_disk(const TmpfsMount& disk, const std::string& args, const fs::path& out, bool while_assembling,
               int last_batch, const std::function<void()>& check) {
  const fs::path log = disk.dir().parent_path() / "killed.log";
  std::string resume;
  if (while_assembling) {
    REQUIRE(genomamba::test::run_and_kill(args, [&] { return fs::exists(batch_file(out, last_batch)); }, log));
    // Exactly what the batches hold: the output cannot be assembled next to them.
    fs::remove(out.string() + ".partial");  // what the killed run had assembled
    REQUIRE(disk.resize(std::to_string(disk.used() / 1024) + "k"));
    resume = " --resume";
  } else {
    // The disk is sized by what a run holds once it has three batches, and the run starts afresh.
    REQUIRE(genomamba::test::run_and_kill(args, [&] { return fs::exists(batch_file(out, 2)); }, log));
    const uintmax_t used = disk.used();
    fs::remove_all(batch_folder(out));
    fs::remove(out.string() + ".lock");
    REQUIRE(disk.resize(std::to_string(used / 1024) + "k"));
  }
  const CommandResult r = run_genomamba(args + resume);
  INFO(r.err);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains(disk.dir().string()) && Contains("No space left on device"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_FALSE(fs::exists(out));
  CHECK(count_batches(out) >= 1);
  check_no_temporary_files(out);
  REQUIRE(disk.resize("64m"));
  const CommandResult resumed = run_genomamba(args + " --resume");
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK_FALSE(fs::exists(batch_folder(out)));
  check();
}

}  // namespace

TEST_CASE("genomamba embed and score on a full disk: exit 3, the path and the cause, a resumable partial",
          "[.][enospc]") {
  TempDir dir;
  const TmpfsMount disk(dir / "disk", "64m");
  if (!disk.mounted()) {
    std::cout << "SKIPPED: cannot mount a tmpfs (" << disk.error() << ")\n";
    WARN("SKIPPED: cannot mount a tmpfs: " << disk.error());
    return;
  }
  const Workload& embed = inputs().embed;
  const Workload& score = inputs().score;
  const bool while_assembling = GENERATE(false, true);
  INFO((while_assembling ? "full while assembling the output" : "full while committing batches"));
  SECTION("embed to .h5") {
    const fs::path out = disk.dir() / "x.h5";
    full_disk(disk, embed.args(out), out, while_assembling, kBatches - 1, [&] { embed.compare(out, embed.expected); });
  }
  SECTION("score to .vcf") {
    const fs::path expected = dir / "expected.vcf";
    REQUIRE(run_genomamba(score.args(expected)).exit_code == 0);
    const fs::path out = disk.dir() / "x.vcf";
    full_disk(disk, score.args(out), out, while_assembling, kBatches - 1,
              [&] { CHECK(vcf_records(out) == vcf_records(expected)); });
  }
  SECTION("score to .tsv") {
    const fs::path expected = dir / "expected.tsv";
    REQUIRE(run_genomamba(score.args(expected)).exit_code == 0);
    const fs::path out = disk.dir() / "x.tsv";
    full_disk(disk, score.args(out), out, while_assembling, kBatches - 1,
              [&] { CHECK(read_file(out) == read_file(expected)); });
  }
  SECTION("score to .h5") {
    const fs::path out = disk.dir() / "x.h5";
    full_disk(disk, score.args(out), out, while_assembling, kBatches - 1, [&] { score.compare(out, score.expected); });
  }
}
