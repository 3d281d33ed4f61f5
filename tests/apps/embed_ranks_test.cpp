// `mpirun -np P genomamba embed`: one sequence split over P MPI ranks gives the single-process run's datasets
// (within 1e-4: the scan state crosses shards through composed summaries), rank 0 writes the one output, and a
// rank that fails or is killed ends the whole job within seconds with a message naming the rank, leaving no
// complete-looking output. Registered as its own CTest entry (apps_mpi) where MPI is found.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "output/h5_read_back.h"
#include "support/data_path.h"
#include "support/mpirun.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "support/tensor_compare.h"

using Catch::Contains;
using genomamba::test::H5File;
using genomamba::test::kMpirun;
using genomamba::test::run_command;
using genomamba::test::TempDir;
using genomamba::test::write_file;
namespace fs = std::filesystem;

namespace {

std::string random_fasta(size_t length, unsigned seed) {
  std::mt19937 rng(seed);
  std::string seq(length, 'A');
  for (char& c : seq) c = "ACGTN"[rng() % 5];
  return ">chrA\n" + seq + "\n>chrB\n" + seq.substr(0, length / 3 + 7) + "\n";
}

std::string genomamba_path() { return genomamba::test::genomamba_binary().string(); }

}  // namespace

TEST_CASE("mpirun -np 2 and 4 genomamba embed: the single-process datasets, one output from rank 0", "[mpi][apps]") {
  TempDir dir;
  write_file(dir / "in.fa", random_fasta(30011, 5));
  const std::string in = (dir / "in.fa").string();
  for (const std::string name : {"ph_tiny", "ps_odd"}) {
    for (const std::string strand : {"both", "fwd"}) {
      const std::string args = " embed -m " + genomamba::test::fixture_model(name) + " -i " + in +
                               " --per-position --logits --window 10007 --strand " + strand + " -q -o ";
      const auto one = dir / (name + strand + "_1.h5");
      const auto single = run_command("OMP_NUM_THREADS=1 " + genomamba_path() + args + one.string());
      INFO(single.err);
      REQUIRE(single.exit_code == 0);
      for (int ranks : {2, 4}) {
        INFO(name << ", strand " << strand << ", " << ranks << " ranks");
        const auto out = dir / (name + strand + "_" + std::to_string(ranks) + ".h5");
        const auto r = run_command(kMpirun + std::to_string(ranks) + " " + genomamba_path() + args + out.string());
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        H5File a(one), b(out);
        CHECK(b.string_attribute("ranks") == "mpi, " + std::to_string(ranks) + " ranks");
        CHECK(b.int_attribute("complete") == 1);
        for (const std::string dataset : {"/windows/embedding", "/positions/embedding", "/positions/logits"}) {
          INFO(dataset);
          const std::vector<float> x = a.floats(dataset), y = b.floats(dataset);
          CHECK(x.size() == y.size());
          if (x.size() == y.size()) CHECK(genomamba::test::relative_error(y, x) <= 1e-4);
        }
        CHECK(a.ints("/windows/start") == b.ints("/windows/start"));
      }
    }
  }
  // Every run left exactly its one output, written by rank 0: the input and the .h5 files, nothing else (no
  // partial folders, nothing of the other ranks).
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    const std::string file = entry.path().filename().string();
    CHECK((file == "in.fa" || file.ends_with(".h5")));
  }
}

TEST_CASE("mpirun genomamba embed: a killed rank ends the job within seconds, naming the rank", "[mpi][apps]") {
  TempDir dir;
  write_file(dir / "big.fa", random_fasta(3'000'000, 9));
  const std::string out = (dir / "kill.h5").string();
  const std::string gm = genomamba_path();
  // Start 2 ranks, wait until both are computing, SIGKILL the last of this job's rank processes (found by this
  // test's output path: other tests may run genomamba at the same time), and time how long mpirun takes to end.
  const std::string script =
      "set +e\n" + kMpirun + "2 " + gm + " embed -m " + genomamba::test::fixture_model("ps_odd") + " -i " +
      (dir / "big.fa").string() + " -o " + out + " --window 200000 --per-position 2>" + (dir / "err").string() +
      " &\nmp=$!\n"
      "for i in $(seq 600); do [ \"$(pgrep -f '^" + gm + " embed.* -o " + out + " ' | wc -l)\" -ge 2 ] && break; "
      "sleep 0.1; done\n"
      "sleep 2\n"
      "victim=$(pgrep -f '^" + gm + " embed.* -o " + out + " ' | tail -n 1)\n"
      "[ -n \"$victim\" ] || { echo no-rank-found; exit 9; }\n"
      "kill -9 $victim\n"
      "start=$(date +%s)\n"
      "for i in $(seq 600); do kill -0 $mp 2>/dev/null || break; sleep 0.1; done\n"
      "kill -0 $mp 2>/dev/null && { kill -9 $mp; echo still-running; exit 9; }\n"
      "wait $mp; rc=$?\n"
      "echo \"rc=$rc seconds=$(( $(date +%s) - start ))\"\n";
  const auto r = run_command("bash -c '" + [&] {
    std::string quoted;
    for (char c : script) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted;
  }() + "'");
  const std::string err = genomamba::test::read_file(dir / "err");
  INFO(r.out << r.err << err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("rc=") && !Contains("rc=0 "));
  const auto at = r.out.find("seconds=");
  REQUIRE(at != std::string::npos);
  CHECK(std::stoi(r.out.substr(at + 8)) <= 30);
  CHECK_THAT(err, Contains("rank"));
  CHECK_FALSE(fs::exists(out));  // never a complete-looking file
}

TEST_CASE("mpirun genomamba embed: a rank that fails ends every rank at once, naming the rank", "[mpi][apps]") {
  // Two ranks of one job (MPMD): rank 1 runs under a 1 GB address-space limit, so its share of a 2M-token
  // window (about 0.6 GB of scratch) cannot be allocated while rank 0's can; rank 0 then waits in the layer's
  // exchange, and only the abort of the failing rank ends it.
  TempDir dir;
  write_file(dir / "big.fa", random_fasta(2'000'000, 3));
  const std::string out = (dir / "oom.h5").string();
  const std::string command = genomamba_path() + " embed -m " + genomamba::test::fixture_model("ps_odd") + " -i " +
                              (dir / "big.fa").string() + " -o " + out + " --window 2000000";
  const auto r = run_command("timeout 120 " + kMpirun + "1 " + command + " : -np 1 bash -c 'ulimit -v 1000000; exec " +
                             command + "'");
  INFO(r.err);
  CHECK(r.exit_code != 0);
  CHECK(r.exit_code != 124);  // not the timeout: the job ended by itself
  CHECK_THAT(r.err, Contains("genomamba embed: error: rank 1 of 2: out of memory"));
  CHECK_FALSE(fs::exists(out));  // no complete-looking output (rank 0's unfinished job folder may stay)
}

TEST_CASE("mpirun genomamba embed: a bad input ends every rank with one message naming the rank", "[mpi][apps]") {
  TempDir dir;
  const std::string missing = (dir / "missing.fa").string();
  const auto r = run_command("timeout 60 " + kMpirun + "2 " + genomamba_path() + " embed -m " +
                             genomamba::test::fixture_model("ph_tiny") + " -i " + missing + " -o " +
                             (dir / "out.h5").string());
  INFO(r.err);
  CHECK(r.exit_code != 0);
  CHECK(r.exit_code != 124);  // not the timeout: the job ended by itself
  CHECK_THAT(r.err, Contains("genomamba embed: error: rank ") && Contains(missing));
  CHECK_FALSE(fs::exists(dir / "out.h5"));
}
