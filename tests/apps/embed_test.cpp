// End-to-end runs of `genomamba embed` on the tiny PH/PS fixtures: the layout, the widths, the pooling,
// the root attributes, and every bad input (exit 1, one message naming the file, no output file).
// Numerical agreement with the reference is tested in tests/model; this checks the plumbing.
#include <catch2/catch.hpp>

#include <cmath>
#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "core/device.h"
#include "output/h5_read_back.h"
#include "support/checks.h"
#include "support/data_path.h"
#include "support/run_command.h"
#include "support/skip.h"
#include "support/tensor_compare.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::test::CommandResult;
using genomamba::test::H5File;
using genomamba::test::run_command;
using genomamba::test::run_genomamba;
using genomamba::test::TempDir;
using genomamba::test::write_file;
namespace fs = std::filesystem;

using genomamba::test::partial_of;

namespace {

const std::string kFasta = ">r1 first record\nACGTNacgtRYk\nGGA\n>r2\nGGGCCCAAAT\n";
constexpr int64_t kLength1 = 15, kLength2 = 10;

std::string model_dir(const std::string& name) { return genomamba::test::fixture_model(name); }


// The mean of rows [begin, end) of a row-major [*, width] array.
std::vector<double> mean_rows(const std::vector<float>& rows, int64_t width, int64_t begin, int64_t end) {
  std::vector<double> mean(static_cast<size_t>(width), 0.0);
  for (int64_t r = begin; r < end; ++r)
    for (int64_t c = 0; c < width; ++c) mean[static_cast<size_t>(c)] += rows[static_cast<size_t>(r * width + c)];
  for (auto& m : mean) m /= static_cast<double>(end - begin);
  return mean;
}

}  // namespace

TEST_CASE("genomamba embed: widths per model kind and strand", "[apps]") {
  const auto [model, strand, width] = GENERATE(table<std::string, std::string, int64_t>({
      {"ph_tiny", "fwd", 16}, {"ph_tiny", "both", 16}, {"ps_tiny", "fwd", 32}, {"ps_tiny", "both", 16}}));
  CAPTURE(model, strand);
  TempDir dir;
  write_file(dir / "in.fa", kFasta);
  const auto out = dir / "out.h5";
  const auto r = run_genomamba("embed -m " + model_dir(model) + " -i " + (dir / "in.fa").string() + " -o " +
                           out.string() + " --per-position --logits --strand " + strand + " -@ 2");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());  // stdout carries data only
  CHECK_FALSE(fs::exists(partial_of(out)));

  H5File f(out);
  const int64_t P = kLength1 + kLength2;
  CHECK(f.shape("/windows/embedding") == std::vector<hsize_t>{2, static_cast<hsize_t>(width)});
  CHECK(f.shape("/positions/embedding") == std::vector<hsize_t>{static_cast<hsize_t>(P), static_cast<hsize_t>(width)});
  CHECK(f.shape("/positions/logits") == std::vector<hsize_t>{static_cast<hsize_t>(P), 4});
  CHECK(f.strings("/windows/name") == std::vector<std::string>{"r1", "r2"});
  CHECK(f.ints("/windows/start") == std::vector<int64_t>{0, 0});
  CHECK(f.ints("/windows/end") == std::vector<int64_t>{kLength1, kLength2});
  CHECK(f.ints("/windows/offset") == std::vector<int64_t>{0, kLength1});
  CHECK(f.string_attribute("strand") == strand);
  CHECK(f.string_attribute("model_kind") == (model == "ph_tiny" ? "caduceus-ph" : "caduceus-ps"));

  // /windows/embedding is the mean of each window's per-position rows.
  const auto pooled = f.floats("/windows/embedding");
  const auto rows = f.floats("/positions/embedding");
  const auto mean1 = mean_rows(rows, width, 0, kLength1);
  const auto mean2 = mean_rows(rows, width, kLength1, P);
  for (int64_t c = 0; c < width; ++c) {
    CHECK(pooled[static_cast<size_t>(c)] == Approx(mean1[static_cast<size_t>(c)]).margin(1e-6).epsilon(1e-5));
    CHECK(pooled[static_cast<size_t>(width + c)] == Approx(mean2[static_cast<size_t>(c)]).margin(1e-6).epsilon(1e-5));
  }
  for (float v : rows) CHECK(std::isfinite(v));
}

TEST_CASE("genomamba embed: root attributes, exit summary and the h5py recipe of docs/formats.md", "[apps]") {
  TempDir dir;
  write_file(dir / "in.fa", kFasta);
  const auto out = dir / "out.h5";
  const std::string model = model_dir("ph_tiny");
  const auto r = run_genomamba("embed -m " + model + " -i " + (dir / "in.fa").string() + " -o " + out.string() +
                           " --per-position");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(std::regex_search(r.err, std::regex(R"(\[M::main\] Version: \d+\.\d+\.\d+ \(git \w+(-dirty)?\); CMD: .*genomamba embed -m .*; )"
                                            R"(Real time: \d+\.\d+ sec; CPU: \d+\.\d+ sec; Peak RSS: \d+\.\d+ GB\n)")));

  H5File f(out);
  CHECK(f.string_attribute("format") == "genomamba-embeddings");
  CHECK(f.int_attribute("format_version") == 1);
  CHECK_THAT(f.string_attribute("genomamba_version"), Catch::Matches(R"(\d+\.\d+\.\d+ \(git \w+(-dirty)?\))"));
  CHECK_THAT(f.string_attribute("command_line"), Contains("embed -m " + model) && Contains("--per-position"));
  CHECK(f.string_attribute("model_path") == model);
  const auto sha = run_command("sha256sum '" + model + "/model.safetensors'");
  CHECK(f.string_attribute("model_sha256") == sha.out.substr(0, 64));
  CHECK(f.string_attribute("model_config") == genomamba::test::read_file(model + "/config.json"));
  CHECK(f.string_attribute("model_kind") == "caduceus-ph");
  CHECK(f.string_attribute("strand") == "both");
  CHECK(f.int_attribute("window") == 131072);
  CHECK(f.int_attribute("stride") == 131072);
  CHECK(f.string_attribute("dtype") == "f32");
  CHECK(f.string_attribute("device") == "cpu");
  CHECK(f.string_attribute("compute_dtype") == "f32");
  CHECK_THAT(f.string_attribute("created"), Catch::Matches(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)"));
  CHECK(f.string_array_attribute("input_paths") == std::vector<std::string>{(dir / "in.fa").string()});
  CHECK(f.int_attribute("complete") == 1);
  CHECK_FALSE(f.exists("/positions/logits"));

  const auto py = run_command(
      "cd '" + dir.path().string() + "' && /usr/bin/python3 -c \"\n"
      "import h5py\n"
      "with h5py.File('out.h5') as f:\n"
      "    assert f.attrs['complete'] == 1\n"
      "    names = f['windows/name'].asstr()[:]\n"
      "    pooled = f['windows/embedding'][:]\n"
      "    off, start, end = f['windows/offset'][:], f['windows/start'][:], f['windows/end'][:]\n"
      "    per_base = f['positions/embedding'][off[1]: off[1] + end[1] - start[1]]\n"
      "    print(list(names), pooled.shape, per_base.shape, f.attrs['strand'], f.attrs['window'])\n"
      "\"");
  INFO(py.err);
  CHECK(py.exit_code == 0);
  CHECK(py.out == "['r1', 'r2'] (2, 16) (10, 16) both 131072\n");
}

TEST_CASE("genomamba embed: pooled only, --layer, --dtype f16, -q, stdin", "[apps]") {
  TempDir dir;
  write_file(dir / "in.fa", kFasta);
  const auto out = dir / "out.h5";
  const std::string base = "embed -m " + model_dir("ph_tiny") + " -o " + out.string();

  SECTION("pooled only: no offsets, no positions") {
    const auto r = run_genomamba(base + " -i " + (dir / "in.fa").string() + " -q");
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());  // -q: no log, no summary
    H5File f(out);
    CHECK(f.shape("/windows/embedding") == std::vector<hsize_t>{2, 16});
    CHECK_FALSE(f.exists("/windows/offset"));
    CHECK_FALSE(f.exists("/positions"));
  }
  SECTION("--layer 0 and --layer n_layer are accepted") {
    for (const char* layer : {"0", "2"}) {
      const auto r = run_genomamba(base + " -i " + (dir / "in.fa").string() + " -q --per-position --layer " + layer);
      INFO(r.err);
      CHECK(r.exit_code == 0);
      H5File f(out);
      CHECK(f.shape("/positions/embedding") == std::vector<hsize_t>{25, 16});
    }
  }
  SECTION("--dtype f16 stores /positions/embedding as float16 (h5py)") {
    const auto r = run_genomamba(base + " -i " + (dir / "in.fa").string() + " -q --per-position --dtype f16");
    REQUIRE(r.exit_code == 0);
    const auto py = run_command("/usr/bin/python3 -c \"import h5py; f = h5py.File('" + out.string() +
                                "', 'r'); print(f['positions/embedding'].dtype, f['windows/embedding'].dtype, "
                                "f.attrs['dtype'])\"");
    CHECK(py.out == "float16 float32 f16\n");
  }
  SECTION("'-' reads stdin") {
    const auto r = run_command("printf '>s\\nACGTACGT\\n' | '" + genomamba::test::genomamba_binary().string() +
                               "' " + base + " -i - -q --tile 3");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    H5File f(out);
    CHECK(f.ints("/windows/end") == std::vector<int64_t>{8});
    CHECK(f.string_array_attribute("input_paths") == std::vector<std::string>{"-"});
  }
}

TEST_CASE("genomamba embed: bad inputs exit 1 with one message naming the file and leave no output", "[apps]") {
  TempDir dir;
  write_file(dir / "in.fa", kFasta);
  write_file(dir / "none.fa", "");
  write_file(dir / "empty_record.fa", ">chr1\nACGT\n>chrX\n>chr3\nAC\n");
  fs::create_directory(dir / "bad_config");
  write_file(dir / "bad_config" / "config.json", "{\"d_model\": ");
  fs::create_directory(dir / "bad_weights");
  fs::copy_file(model_dir("ph_tiny") + "/config.json", dir / "bad_weights" / "config.json");
  write_file(dir / "bad_weights" / "model.safetensors", std::string("\xff\xff\xff\xff\xff\xff\xff\x7f{}", 10));
  const std::string in = (dir / "in.fa").string();
  const std::string ph = model_dir("ph_tiny");
  const std::string out = (dir / "out.h5").string();

  // {arguments, text the message must contain}. The table is rebuilt on every run of the test case (each
  // has its own TempDir); GENERATE picks the row.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"-m " + (dir / "no_model").string() + " -i " + in + " -o " + out,
       (dir / "no_model").string() + ": model folder not found"},
      {"-m " + (dir / "bad_config").string() + " -i " + in + " -o " + out, "config.json"},
      {"-m " + (dir / "bad_weights").string() + " -i " + in + " -o " + out, "model.safetensors"},
      {"-m " + ph + " -i " + (dir / "missing.fa").string() + " -o " + out, (dir / "missing.fa").string()},
      {"-m " + ph + " -i " + (dir / "none.fa").string() + " -o " + out,
       (dir / "none.fa").string() + ": empty input"},
      {"-m " + ph + " -i " + (dir / "empty_record.fa").string() + " -o " + out + " --per-position",
       (dir / "empty_record.fa").string() + ": record 2 ('chrX') has no sequence"},
      {"-m " + ph + " -i " + in + " -o " + (dir / "no_dir" / "out.h5").string(),
       (dir / "no_dir" / "out.h5").string() + ": cannot create output file"},
      {"-m " + ph + " -i " + in + " -o " + in, in + ": output (-o) would overwrite " + in + ", an input of this run"},
      {"-m " + ph + " -i " + in + " -o " + out + " --layer 3", "--layer 3 is out of range 0..2"},
      // The memory plan refuses a run that fits in no memory mode, before any work.
      {"-m " + ph + " -i " + in + " -o " + out + " --max-memory 1K", "allowed (--max-memory); lower --window"},
      // A GPU this machine or build lacks (here: none visible, or a build without CUDA; on a one-GPU machine:
      // index out of range), and a compute dtype without kernels.
      {"-m " + ph + " -i " + in + " -o " + out + " --device cuda:3", "--device cuda:3: "},
      {"-m " + ph + " -i " + in + " -o " + out + " --compute-dtype bf16",
       "--compute-dtype bf16: bf16 activations are not implemented yet"},
  };
  const auto index = GENERATE(range<size_t>(0, 12));
  REQUIRE(cases.size() == 12);
  const auto& [args, names] = cases[index];
  CAPTURE(args);
  const std::string before = genomamba::test::read_file(in);
  const auto r = run_genomamba("embed " + args);
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  // Exactly one error line, the last one, in the house format.
  std::smatch m;
  REQUIRE(std::regex_search(r.err, m, std::regex("(^|\\n)(genomamba embed: error: [^\\n]*)\\n$")));
  CHECK_THAT(m[2].str(), Contains(names));
  // At most the run's two log lines before it: the memory plan, and what is embedded with what.
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') <= 3);
  CHECK(r.err.find("error:") == r.err.rfind("error:"));
  for (const auto& p : {dir / "out.h5", partial_of(dir / "out.h5"), dir / "no_dir"}) {
    CHECK_FALSE(fs::exists(p));
  }
  CHECK_FALSE(fs::exists(partial_of(in)));
  CHECK(genomamba::test::read_file(in) == before);
}

TEST_CASE("genomamba embed --device cuda: the CPU's results, and the device in the attributes",
          "[cuda][apps]") {
  if (genomamba::core::cuda_device_count() == 0) {
    genomamba::test::skip_test("no CUDA device visible");
    return;
  }
  TempDir dir;
  write_file(dir / "in.fa", kFasta);
  for (const std::string name : {"ph_tiny", "ps_tiny"}) {
    INFO("fixture " << name);
    std::vector<std::vector<float>> results;
    for (const std::string device : {"cpu", "cuda"}) {
      const auto out = dir / (name + "_" + device + ".h5");
      const auto r = run_genomamba("embed -m " + model_dir(name) + " -i " + (dir / "in.fa").string() + " -o " +
                                   out.string() + " --per-position --logits --device " + device);
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      H5File f(out);
      CHECK_THAT(f.string_attribute("device"), Catch::StartsWith(device == "cpu" ? "cpu" : "cuda:0 ("));
      CHECK(f.string_attribute("compute_dtype") == "f32");
      std::vector<float> all = f.floats("/positions/embedding");
      const std::vector<float> logits = f.floats("/positions/logits"), pooled = f.floats("/pooled/embedding");
      all.insert(all.end(), logits.begin(), logits.end());
      all.insert(all.end(), pooled.begin(), pooled.end());
      results.push_back(std::move(all));
    }
    CHECK(genomamba::test::relative_error(results[1], results[0]) <= 1e-5);
  }
}
