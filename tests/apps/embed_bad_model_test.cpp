// `genomamba embed` on damaged checkpoints: every defect of issue 2's list is exit code 1, one error line
// naming the file and the defect, and no output file (neither OUT nor OUT.partial).
#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "io/safetensors.h"
#include "support/data_path.h"
#include "support/run_command.h"
#include "support/safetensors_writer.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::test::TempDir;
using genomamba::test::TestTensor;
namespace fs = std::filesystem;
namespace test = genomamba::test;

namespace {

const fs::path kModel = test::fixture_model("ph_tiny");
const std::string kNormF = "caduceus.backbone.norm_f.weight";

// The tensors of ph_tiny's model.safetensors, in file order, as raw bytes.
std::vector<TestTensor> ph_tiny_tensors() {
  genomamba::io::SafetensorsFile file(kModel / "model.safetensors");
  std::vector<TestTensor> tensors;
  for (const auto& [name, view] : file.tensors()) {
    tensors.push_back({name, genomamba::io::dtype_name(view.dtype), view.shape,
                       std::string(reinterpret_cast<const char*>(view.bytes.data()), view.bytes.size())});
  }
  return tensors;
}

TestTensor& find(std::vector<TestTensor>& tensors, const std::string& name) {
  for (auto& t : tensors)
    if (t.name == name) return t;
  FAIL("no tensor " << name);
  throw;
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

struct Defect {
  std::string what;              // the case, for the report
  std::string message;           // text the error line must contain (besides the file)
  std::string file;              // config.json or model.safetensors: the file the message must name
  std::function<void(const fs::path& model_dir)> damage;
};

void write_tensors(const fs::path& dir, const std::vector<TestTensor>& tensors) {
  test::write_file(dir / "model.safetensors", test::safetensors_file(tensors));
}

// Writes ph_tiny's tensors with data_offsets chosen by `offsets(i, next free byte, tensors)`; the data
// buffer holds each tensor's bytes once, in order, except those whose offsets point elsewhere.
void write_with_offsets(const fs::path& dir,
                        const std::function<std::pair<size_t, size_t>(size_t, size_t, const std::vector<TestTensor>&)>& offsets) {
  const auto tensors = ph_tiny_tensors();
  std::string header = "{", data;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const auto& t = tensors[i];
    const auto [begin, end] = offsets(i, data.size(), tensors);
    if (begin == data.size()) data += t.data;
    std::string shape = "[";
    for (size_t k = 0; k < t.shape.size(); ++k) {
      if (k) shape += ',';
      shape += std::to_string(t.shape[k]);
    }
    shape += ']';
    if (i) header += ',';
    header += test::entry(t.name, t.dtype, shape, "[" + std::to_string(begin) + "," + std::to_string(end) + "]");
  }
  test::write_file(dir / "model.safetensors", test::safetensors_bytes(header + "}", data));
}

std::vector<Defect> defects() {
  const std::string config = test::read_file(kModel / "config.json");
  const std::string weights = test::read_file(kModel / "model.safetensors");
  auto with_config = [config](std::string from, std::string to) {
    return [config, from, to](const fs::path& dir) { test::write_file(dir / "config.json", replace_once(config, from, to)); };
  };
  auto with_tensors = [](std::function<void(std::vector<TestTensor>&)> edit) {
    return [edit](const fs::path& dir) {
      auto tensors = ph_tiny_tensors();
      edit(tensors);
      write_tensors(dir, tensors);
    };
  };
  return {
      {"config.json missing a field", "missing required field 'd_model'", "config.json",
       with_config("\"d_model\"", "\"d_model_renamed\"")},
      {"unsupported bidirectional_strategy", "bidirectional_strategy", "config.json",
       with_config("\"bidirectional_strategy\": \"add\"", "\"bidirectional_strategy\": \"ew_multiply\"")},
      {"rcps of the wrong type", "rcps", "config.json", with_config("\"rcps\": false", "\"rcps\": \"no\"")},
      {"safetensors truncated", "truncated", "model.safetensors",
       [weights](const fs::path& dir) { test::write_file(dir / "model.safetensors", weights.substr(0, weights.size() - 100)); }},
      {"header length beyond the file", "header length", "model.safetensors",
       [weights](const fs::path& dir) {
         test::write_file(dir / "model.safetensors", test::length_prefix(weights.size() * 2) + weights.substr(8));
       }},
      {"overlapping offsets", "overlap", "model.safetensors",
       [](const fs::path& dir) {
         // fwd A_log (the first tensor of its size) and rev A_log ([Di, N] both) share the same bytes.
         write_with_offsets(dir, [](size_t i, size_t begin, const std::vector<TestTensor>& t) {
           const std::string aliased = "caduceus.backbone.layers.0.mixer.mamba_rev.A_log";
           if (t[i].name != aliased) return std::pair{begin, begin + t[i].data.size()};
           size_t first = 0;  // byte offset of fwd A_log: the tensors before it are laid out in order
           for (size_t k = 0; t[k].name != "caduceus.backbone.layers.0.mixer.mamba_fwd.A_log"; ++k) first += t[k].data.size();
           return std::pair{first, first + t[i].data.size()};
         });
       }},
      {"offsets beyond the data buffer", "data_offsets", "model.safetensors",
       [](const fs::path& dir) {
         // The last tensor's end lies 4096 bytes past the end of the file.
         write_with_offsets(dir, [](size_t i, size_t begin, const std::vector<TestTensor>& t) {
           const size_t extra = i + 1 == t.size() ? 4096 : 0;
           return std::pair{begin, begin + t[i].data.size() + extra};
         });
       }},
      {"wrong shape", "has shape [2, 8], expected [16]", "model.safetensors",
       with_tensors([](auto& tensors) { find(tensors, kNormF).shape = {2, 8}; })},
      {"missing tensor", "'" + kNormF + "' is missing", "model.safetensors",
       with_tensors([](auto& tensors) { std::erase_if(tensors, [](const TestTensor& t) { return t.name == kNormF; }); })},
      {"unexpected tensor", "unexpected tensor 'extra.weight'", "model.safetensors",
       with_tensors([](auto& tensors) { tensors.push_back({"extra.weight", "F32", {2}, std::string(8, '\0')}); })},
      {"wrong dtype", kNormF, "model.safetensors",
       with_tensors([](auto& tensors) {
         auto& t = find(tensors, kNormF);
         t.dtype = "I64";
         t.data.resize(t.data.size() * 2, '\0');
       })},
  };
}

}  // namespace

TEST_CASE("genomamba embed: each damaged checkpoint is exit 1, one line naming the file, no output", "[apps]") {
  const auto all = defects();
  const auto index = GENERATE(range<size_t>(0, 11));
  REQUIRE(all.size() == 11);
  const Defect& defect = all[index];
  CAPTURE(defect.what);

  TempDir dir;
  const fs::path model = dir / "model";
  fs::create_directory(model);
  fs::copy_file(kModel / "config.json", model / "config.json");
  fs::copy_file(kModel / "model.safetensors", model / "model.safetensors");
  defect.damage(model);
  test::write_file(dir / "in.fa", ">r1\nACGTACGT\n");
  const fs::path out = dir / "out.h5";

  const auto r = test::run_genomamba("embed -m '" + model.string() + "' -i '" + (dir / "in.fa").string() + "' -o '" +
                                     out.string() + "'");
  CHECK(r.exit_code == 1);
  std::smatch m;
  REQUIRE(std::regex_search(r.err, m, std::regex("(^|\\n)(genomamba embed: error: [^\\n]*)\\n$")));
  const std::string line = m[2].str();
  CHECK_THAT(line, Contains((model / defect.file).string()));
  CHECK_THAT(line, Contains(defect.message));
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(fs::exists(out.string() + ".partial"));
}
