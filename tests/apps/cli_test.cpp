// End-to-end runs of the genomamba binary: --version, help, usage errors, inspect.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>
#include <string>

#include "core/device.h"
#include "support/data_path.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

using Catch::Contains;
using Catch::StartsWith;
using genomamba::test::CommandResult;
using genomamba::test::run_command;
using genomamba::test::run_genomamba;

namespace {


int count_lines(const std::string& text) {
  int n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

}  // namespace

TEST_CASE("genomamba --version: one line with name, version, git hash and backends", "[apps]") {
  const auto r = run_genomamba("--version");
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(std::regex_match(r.out, std::regex(R"(genomamba \d+\.\d+\.\d+ \(git ([0-9a-f]+(-dirty)?|unknown)\) backends: cpu(,cuda)?(,mpi)?(,nccl)?\n)")));  // the backends a command can use
}

TEST_CASE("genomamba: help of every subcommand shows an example and exits 0", "[apps]") {
  const auto top = run_genomamba("--help");
  CHECK(top.exit_code == 0);
  CHECK_THAT(top.out, Contains("embed") && Contains("inspect") && Contains("--version"));

  const auto embed = run_genomamba("embed --help");
  CHECK(embed.exit_code == 0);
  CHECK_THAT(embed.out, Contains("Example:") && Contains("genomamba embed -m"));
  CHECK_THAT(embed.out, Contains("whole record"));
  for (const char* flag : {"--model", "--input", "--output", "--per-position", "--logits", "--layer", "--strand",
                           "--dtype", "--tile", "--threads", "--quiet"}) {
    CHECK_THAT(embed.out, Contains(flag));
  }

  const auto inspect = run_genomamba("inspect --help");
  CHECK(inspect.exit_code == 0);
  CHECK_THAT(inspect.out, Contains("Example:") && Contains("genomamba inspect -m"));
}

TEST_CASE("genomamba: usage errors exit with 2", "[apps]") {
  const std::string model = genomamba::test::data_path("models/ph_tiny").string();
  const auto args = GENERATE_COPY(as<std::string>{}, "", "bogus", "--no-such-flag", "embed -m x -i y",
                                  "embed -m x -i y -o z --strand rev", "embed -m x -i y -o z --dtype f64",
                                  "embed -m x -i y -o z --tile 0", "embed -m x -i y -o z -@ -2",
                                  "embed -m x -i y -o z --layer -1", "inspect", "inspect -m " + model + " extra");
  CAPTURE(args);
  const auto r = run_genomamba(args);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_FALSE(r.err.empty());
}

TEST_CASE("genomamba: a bad --tile names the flag and the bound", "[apps]") {
  const auto r = run_genomamba("embed -m x -i y -o z --tile 0");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--tile") && Contains(">= 1"));
}

TEST_CASE("genomamba inspect: kind, config, parameters, tensor table and sha256 of ph_tiny", "[apps]") {
  const auto dir = genomamba::test::data_path("models/ph_tiny");
  const auto r = run_genomamba("inspect -m '" + dir.string() + "'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("kind: caduceus-ph\n"));
  CHECK_THAT(r.out, Contains("d_model: 16\n") && Contains("n_layer: 2\n") && Contains("rcps: false\n"));

  const auto sha = run_command("sha256sum '" + (dir / "model.safetensors").string() + "'");
  REQUIRE(sha.exit_code == 0);
  CHECK_THAT(r.out, Contains("sha256: " + sha.out.substr(0, 64) + "\n"));

  // Tensor table rows: name, dtype, shape. Every stored PH tensor is a unique trainable parameter, so the
  // parameter count equals the sum of the table's shapes.
  std::istringstream lines(r.out);
  std::string line;
  long long n_parameters = -1, table_sum = 0;
  int n_rows = 0;
  const std::regex row(R"(  (\S+)\s+(F32|F16|BF16|F64|I64)\s+\[([0-9, ]*)\])");
  while (std::getline(lines, line)) {
    std::smatch m;
    if (line.rfind("parameters: ", 0) == 0) n_parameters = std::stoll(line.substr(12));
    if (std::regex_match(line, m, row)) {
      long long numel = 1;
      std::istringstream dims(m[3].str());
      std::string dim;
      while (std::getline(dims, dim, ',')) numel *= std::stoll(dim);
      table_sum += numel;
      ++n_rows;
    }
  }
  CHECK_THAT(r.out, Contains("tensors: " + std::to_string(n_rows) + "\n"));
  CHECK(n_rows > 10);
  CHECK(n_parameters == table_sum);
  CHECK_THAT(r.out, Contains("caduceus.backbone.norm_f.weight") && Contains("[16]"));
}

TEST_CASE("genomamba inspect: a missing model folder is exit 1 with one line naming it", "[apps]") {
  const auto r = run_genomamba("inspect -m /no/such/model");
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err == "genomamba inspect: error: /no/such/model: model folder not found\n");
  CHECK(count_lines(r.err) == 1);
}

TEST_CASE("genomamba embed as a workflow step: without -@ or --device it takes the job's threads, memory and GPU "
          "from the environment", "[apps]") {
  const genomamba::test::TempDir dir;
  const std::filesystem::path out = dir / "out.h5";
  const std::string base = "env -u OMP_NUM_THREADS -u SLURM_CPUS_PER_TASK -u SLURM_MEM_PER_NODE -u SLURM_MEM_PER_CPU "
                           "-u CUDA_VISIBLE_DEVICES ";
  const auto embed = [&](const std::string& env, const std::string& flags = "--window 1000") {
    std::filesystem::remove(out);
    return run_command(base + env + " " + genomamba::test::genomamba_binary().string() + " embed -m " +
                       genomamba::test::fixture_model("ph_tiny") + " -i " +
                       genomamba::test::source_path("data/example.fa").string() + " -o " + out.string() +
                       " " + flags);
  };
  SECTION("threads: -@, then OMP_NUM_THREADS, then SLURM_CPUS_PER_TASK, then the cores available") {
    CommandResult r = embed("OMP_NUM_THREADS=2 SLURM_CPUS_PER_TASK=2", "--window 1000 -@ 1");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("1 CPU thread (-@)"));
    r = embed("OMP_NUM_THREADS=1 SLURM_CPUS_PER_TASK=2");
    CHECK_THAT(r.err, Contains("1 CPU thread (OMP_NUM_THREADS)"));
    r = embed("SLURM_CPUS_PER_TASK=1");
    CHECK_THAT(r.err, Contains("1 CPU thread (SLURM_CPUS_PER_TASK)"));
    r = embed("OMP_NUM_THREADS=many SLURM_CPUS_PER_TASK=1");
    CHECK_THAT(r.err, Contains("OMP_NUM_THREADS='many' is not a thread count; ignored") &&
                          Contains("1 CPU thread (SLURM_CPUS_PER_TASK)"));
    r = embed("");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("(the cores available)"));
  }
  SECTION("memory: a Slurm task's share of its job's memory bounds the plan (90% of it is allowed)") {
    // 1000 MiB, 90% of it: 943,718,400 bytes, logged as 944 MB.
    CommandResult r = embed("SLURM_MEM_PER_NODE=1000");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("of 944 MB allowed"));
    r = embed("SLURM_MEM_PER_CPU=500 SLURM_CPUS_PER_TASK=2");
    CHECK_THAT(r.err, Contains("of 944 MB allowed"));
    r = embed("SLURM_MEM_PER_NODE=2000 SLURM_STEP_TASKS_PER_NODE='2(x3)'");  // two tasks share the node's 2000 MiB
    CHECK_THAT(r.err, Contains("of 944 MB allowed"));
    r = embed("SLURM_MEM_PER_NODE=1", "--window 100000");  // 1 MiB: refused before any work, no output
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("--max-memory"));
    CHECK_FALSE(std::filesystem::exists(out));
  }
  SECTION("device: CUDA_VISIBLE_DEVICES naming a GPU asks for one; empty, -1 or --device cpu keep the CPU") {
    for (const char* none : {"CUDA_VISIBLE_DEVICES=", "CUDA_VISIBLE_DEVICES=-1"}) {
      const CommandResult r = embed(none);
      INFO(none << r.err);
      CHECK(r.exit_code == 0);
    }
    CHECK(embed("CUDA_VISIBLE_DEVICES=0", "--window 1000 --device cpu").exit_code == 0);
    if (genomamba::core::cuda_device_count() > 0) {
      CHECK(embed("CUDA_VISIBLE_DEVICES=0").exit_code == 0);
    } else {
      const CommandResult r = embed("CUDA_VISIBLE_DEVICES=0");
      CHECK(r.exit_code == 1);
      CHECK_THAT(r.err, Contains("CUDA_VISIBLE_DEVICES=0 (no --device given): "));
      CHECK_FALSE(std::filesystem::exists(out));
    }
  }
}

TEST_CASE("genomamba inspect --mem-mb: one integer, the MiB a run of that shape needs, which its peak stays under",
          "[apps]") {
  const genomamba::test::TempDir dir;
  const std::string model = genomamba::test::source_path("data/models/caduceus-ph-bacterial-d192-l4").string();
  const auto inspect = run_genomamba("inspect -m " + model + " --plan-length 20000 --batch 2 --mem-mb");
  INFO(inspect.err);
  REQUIRE(inspect.exit_code == 0);
  REQUIRE(std::regex_match(inspect.out, std::regex("[1-9][0-9]*\n")));
  const long mib = std::stol(inspect.out);
  // Two records of 20,000 bases: one batch of two 20,000-token windows, per-position rows (what the plan
  // assumes), --strand both (the default).
  std::string fasta;
  for (const char* name : {">a\n", ">b\n"}) fasta += std::string(name) + std::string(20000, 'A').replace(0, 7, "CGTTACG") + "\n";
  genomamba::test::write_file(dir / "in.fa", fasta);
  const auto run = run_genomamba("embed -m " + model + " -i " + (dir / "in.fa").string() + " -o " +
                                 (dir / "out.h5").string() + " --window 20000 --batch 2 --per-position");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  std::smatch peak;
  REQUIRE(std::regex_search(run.err, peak, std::regex("Peak RSS: ([0-9.]+) GB")));
  const double peak_mib = std::stod(peak[1]) * 1e9 / (1 << 20);
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer's shadow memory and quarantine add to the peak what the plan rightly leaves out.
  WARN("AddressSanitizer build: peak " << peak_mib << " MiB not compared with the plan's " << mib << " MiB");
#else
  CHECK(peak_mib <= static_cast<double>(mib));
  CHECK(peak_mib >= 0.25 * static_cast<double>(mib));  // a plan, not a wild over-estimate
#endif
  CHECK(run_genomamba("inspect -m " + model + " --mem-mb").exit_code == 2);  // needs --plan-length
}
