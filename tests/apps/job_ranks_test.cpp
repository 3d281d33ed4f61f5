// `mpirun -np P genomamba score|ism`: data parallel over the ranks (each rank a part of the variants or
// positions, rank 0 merges). Each variant's and position's numbers do not depend on which process computes
// them, so the one output equals a one-process run's exactly, in every output type. Registered under apps_mpi.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "output/h5_compare.h"
#include "support/data_path.h"
#include "support/mpirun.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::test::kMpirun;
using genomamba::test::run_command;
using genomamba::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string binary() { return genomamba::test::genomamba_binary().string(); }

// The VCF records (header left out: it names the command line) as text.
std::string vcf_records(const fs::path& vcf) {
  const auto r = run_command("bcftools view -H " + vcf.string());
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// Nothing but the listed outputs in `dir`: no parts folder or partial file of any rank left behind.
void require_only(const fs::path& dir, const std::vector<std::string>& names) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    INFO(entry.path());
    CHECK(std::find(names.begin(), names.end(), entry.path().filename().string()) != names.end());
  }
}

}  // namespace

TEST_CASE("mpirun -np 2 and 3 genomamba score: the variants spread over the ranks, one output equal to one "
          "process's", "[mpi][apps]") {
  TempDir dir;
  const std::string data = genomamba::test::source_path("data/kaptive-K54").string();
  const std::string args = " score -m " + genomamba::test::source_path("data/models/caduceus-ph-bacterial-d192-l4").string() +
                           " -v " + data + "/K54.vcf -f " + data + "/K54.fa --window 256 -q ";
  // The .h5 output also holds the windows' embeddings; the VCF carries the scores.
  const auto command = [&](const fs::path& out) {
    std::string line = binary() + args;
    if (out.extension() == ".h5") line += "--save-embeddings ";
    line += "-o ";
    line += out.string();
    return line;
  };
  const fs::path one_h5 = dir / "one.h5", one_vcf = dir / "one.vcf.gz";
  for (const fs::path& out : {one_h5, one_vcf}) {
    const auto r = run_command(std::string("OMP_NUM_THREADS=1 ").append(command(out)));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  std::vector<std::string> outputs{"one.h5", "one.vcf.gz"};
  for (int ranks : {2, 3}) {
    INFO(ranks << " ranks");
    const std::string stem = std::string("r").append(std::to_string(ranks));
    const fs::path h5 = dir / (stem + ".h5"), vcf = dir / (stem + ".vcf.gz");
    for (const fs::path& out : {h5, vcf}) {
      const auto r = run_command(kMpirun + std::to_string(ranks) + " " + command(out));
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      outputs.push_back(out.filename().string());
    }
    genomamba::test::require_same_all_datasets(h5, one_h5);
    CHECK(vcf_records(vcf) == vcf_records(one_vcf));
  }
  require_only(dir.path(), outputs);

  SECTION("--shard together with ranks is refused before any work, leaving nothing") {
    const auto r = run_command(kMpirun + "2 " + command(dir / "bad.h5") + " --shard 0/2");
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Contains("--shard 0/2 with 2 ranks"));
    CHECK_FALSE(fs::exists(dir / "bad.h5"));
  }
}

TEST_CASE("mpirun -np 2 genomamba ism: the positions spread over the ranks, equal to one process's", "[mpi][apps]") {
  TempDir dir;
  const std::string args = " ism -m " + genomamba::test::source_path("data/models/caduceus-ph-bacterial-d192-l4").string() +
                           " -f " + genomamba::test::source_path("data/kaptive-K54/K54.fa").string() +
                           " -r K54:2001-2023 --window 128 --masked -q -o ";
  const auto one = run_command("OMP_NUM_THREADS=1 " + binary() + args + (dir / "one.h5").string());
  INFO(one.err);
  REQUIRE(one.exit_code == 0);
  const auto two = run_command(kMpirun + "2 " + binary() + args + (dir / "two.h5").string());
  INFO(two.err);
  REQUIRE(two.exit_code == 0);
  genomamba::test::require_same_all_datasets(dir / "two.h5", dir / "one.h5");
  require_only(dir.path(), {"one.h5", "two.h5"});
}
