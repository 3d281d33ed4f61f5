#include "output/vcf_scores_writer.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "support/checks.h"
#include "support/stdio_redirect.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

using genomamba::output::RootAttributes;
using genomamba::output::ScoreKind;
using genomamba::output::VariantBatch;
using genomamba::output::VariantScoresLayout;
using genomamba::output::VcfOutputType;
using genomamba::test::run_command;
using genomamba::test::TempDir;
namespace fs = std::filesystem;

using genomamba::test::StdoutToFile;

using genomamba::test::partial_of;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// An input header with an old GM_LLR definition (Type=String) and an old provenance line, both replaced.
const std::string kHeader =
    "##fileformat=VCFv4.2\n"
    "##FILTER=<ID=PASS,Description=\"All filters passed\">\n"
    "##contig=<ID=chr1,length=10000>\n"
    "##contig=<ID=chr2,length=5000>\n"
    "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
    "##INFO=<ID=GM_LLR,Number=1,Type=String,Description=\"an older run\">\n"
    "##genomamba_version=0.0.1 (old)\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n";

// Input records as htslib formats them, and the output lines expected for them.
const std::vector<std::string> kRecords = {
    "chr1\t100\trs1\tA\tG\t50\tPASS\tDP=10\tGT\t0/1",
    "chr1\t200\t.\tC\tT,A\t.\t.\tDP=3\tGT\t1/2",                    // ALT 1 has no row
    "chr1\t300\t.\tG\t.\t.\t.\t.\tGT\t0/0",                         // no ALT: no row
    "chr2\t50\trs4\tT\tC,G\t10\tPASS\tDP=7;GM_LLR=9.9;GM_OLD=1\tGT\t0/1",  // old GM_* values
};
const std::vector<std::string> kExpected = {
    "chr1\t100\trs1\tA\tG\t50\tPASS\tDP=10;GM_LLR=-1.5;GM_WT_LLR=0.25\tGT\t0/1",
    "chr1\t200\t.\tC\tT,A\t.\t.\tDP=3;GM_LLR=.,2.5;GM_WT_LLR=.,.\tGT\t1/2",
    "chr1\t300\t.\tG\t.\t.\t.\t.\tGT\t0/0",
    "chr2\t50\trs4\tT\tC,G\t10\tPASS\tDP=7;GM_LLR=0.123457,.;GM_WT_LLR=-3.25e-05,.\tGT\t0/1",
};

VariantScoresLayout scores_layout() { return VariantScoresLayout{{ScoreKind::LLR, ScoreKind::WT_LLR}, 0}; }

RootAttributes vcf_attributes() {
  RootAttributes a;
  a.format = "genomamba-variant-scores";
  a.genomamba_version = "0.1.0 (git test)";
  a.command_line = "genomamba score -m /models/m\n-v in.vcf -o out.vcf";  // a newline: made single-line
  a.model_path = "/models/m";
  a.model_sha256 = std::string(64, 'a');
  a.strand = "both";
  a.window = 4096;
  a.extra = {{"vcf_header", kHeader}};
  return a;
}

struct Row {
  int64_t allele;
  int8_t status;
  float llr, wt_llr;
};

void add_record(VariantBatch& b, const std::string& line, const std::vector<Row>& rows) {
  b.record_line.push_back(line);
  b.n_rows.push_back(static_cast<int64_t>(rows.size()));
  for (const Row& r : rows) {
    b.chrom.push_back(line.substr(0, line.find('\t')));
    b.pos.push_back(0);
    b.id.push_back(".");
    b.ref.push_back("N");
    b.alt.push_back("N");
    b.allele.push_back(r.allele);
    b.status.push_back(r.status);
  }
}

// The four records of kRecords with their rows; `values` holds (llr, wt_llr) per row.
VariantBatch sample_batch() {
  const std::vector<std::vector<Row>> rows = {
      {{1, 0, -1.5f, 0.25f}},
      {{2, 0, 2.5f, kNaN}},
      {},
      {{1, 0, 0.123457f, -3.25e-05f}, {2, 1, 7.0f, 8.0f}},  // status 1: scores not written
  };
  VariantBatch b;
  for (size_t k = 0; k < kRecords.size(); ++k) add_record(b, kRecords[k], rows[k]);
  b.scores = genomamba::core::Matrix(b.n_variant_rows(), 2);
  int64_t v = 0;
  for (const auto& record_rows : rows) {
    for (const Row& r : record_rows) {
      b.scores.at(v, 0) = r.llr;
      b.scores.at(v, 1) = r.wt_llr;
      ++v;
    }
  }
  return b;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string quote(const fs::path& path) { return "'" + path.string() + "'"; }

// Writes the sample batch in two appends (records [0, 2) and [2, 4)) and finishes.
void write_sample(const fs::path& path, VcfOutputType type) {
  const VariantBatch batch = sample_batch();
  auto writer = genomamba::output::create_vcf_scores_writer(path, type, scores_layout(), vcf_attributes());
  if (path != "-") {
    CHECK(fs::exists(partial_of(path)));
    CHECK_FALSE(fs::exists(path));
  }
  writer->append(batch, 0, 2);
  writer->append(batch, 2, 2);
  writer->finish();
}

// Points file descriptor 1 at a file for the object's lifetime.
}  // namespace

TEST_CASE("vcf_output_type_from_suffix and parse_vcf_output_type", "[output][vcf]") {
  using genomamba::output::parse_vcf_output_type;
  using genomamba::output::vcf_output_type_from_suffix;
  CHECK(vcf_output_type_from_suffix("a/out.vcf") == VcfOutputType::VCF);
  CHECK(vcf_output_type_from_suffix("out.vcf.gz") == VcfOutputType::VCF_GZ);
  CHECK(vcf_output_type_from_suffix("out.VCF.BGZ") == VcfOutputType::VCF_GZ);
  CHECK(vcf_output_type_from_suffix("out.bcf") == VcfOutputType::BCF);
  CHECK_FALSE(vcf_output_type_from_suffix("out.h5").has_value());
  CHECK_FALSE(vcf_output_type_from_suffix("out.tsv").has_value());
  CHECK_FALSE(vcf_output_type_from_suffix("out.gz").has_value());
  CHECK_FALSE(vcf_output_type_from_suffix("-").has_value());
  CHECK(parse_vcf_output_type("v") == VcfOutputType::VCF);
  CHECK(parse_vcf_output_type("z") == VcfOutputType::VCF_GZ);
  CHECK(parse_vcf_output_type("b") == VcfOutputType::BCF);
  CHECK(parse_vcf_output_type("u") == VcfOutputType::BCF_UNCOMPRESSED);
  CHECK_THROWS_WITH(parse_vcf_output_type("x"), Catch::Contains("-O") && Catch::Contains("'x'"));
  CHECK_THROWS_AS(parse_vcf_output_type(""), genomamba::UsageError);
}

TEST_CASE("VcfScoresWriter: records unchanged plus GM_* scores, readable by bcftools", "[output][vcf]") {
  const auto [name, type] = GENERATE(table<std::string, VcfOutputType>({
      {"out.vcf", VcfOutputType::VCF},
      {"out.vcf.gz", VcfOutputType::VCF_GZ},
      {"out.bcf", VcfOutputType::BCF},
      {"out.ubcf", VcfOutputType::BCF_UNCOMPRESSED},
  }));
  INFO(name);
  TempDir dir;
  const fs::path path = dir / name;
  write_sample(path, type);
  CHECK(fs::exists(path));
  CHECK_FALSE(fs::exists(partial_of(path)));

  const auto body = run_command("bcftools view --no-version -H " + quote(path));
  REQUIRE(body.exit_code == 0);
  CHECK(body.err.empty());
  CHECK(lines_of(body.out) == kExpected);

  const auto query = run_command("bcftools query -f '%CHROM\\t%POS\\t%INFO/GM_LLR\\n' " + quote(path));
  REQUIRE(query.exit_code == 0);
  CHECK(query.out == "chr1\t100\t-1.5\nchr1\t200\t.,2.5\nchr1\t300\t.\nchr2\t50\t0.123457,.\n");

  const auto header = run_command("bcftools view --no-version -h " + quote(path));
  REQUIRE(header.exit_code == 0);
  const auto lines = lines_of(header.out);
  const auto has = [&](const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  };
  CHECK(has("##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">"));
  CHECK(has("##INFO=<ID=GM_LLR,Number=A,Type=Float,Description=\"" +
            std::string(score_description(ScoreKind::LLR)) + "\">"));
  CHECK(has("##INFO=<ID=GM_WT_LLR,Number=A,Type=Float,Description=\"" +
            std::string(score_description(ScoreKind::WT_LLR)) + "\">"));
  CHECK(header.out.find("an older run") == std::string::npos);
  CHECK(header.out.find("0.0.1 (old)") == std::string::npos);
  CHECK(header.out.find("GM_OLD") == std::string::npos);
  CHECK(has("##genomamba_version=0.1.0 (git test)"));
  CHECK(has("##genomamba_command=genomamba score -m /models/m -v in.vcf -o out.vcf"));
  CHECK(has("##genomamba_model=/models/m"));
  CHECK(has("##genomamba_model_sha256=" + std::string(64, 'a')));
  CHECK(has("##genomamba_window=4096"));
  CHECK(has("##genomamba_strand=both"));
  CHECK(has("##genomamba_scores=llr,wt_llr"));
  CHECK(lines.back() == "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1");

  if (type == VcfOutputType::VCF_GZ || type == VcfOutputType::BCF) {
    const auto index = run_command("bcftools index " + quote(path));
    CHECK(index.exit_code == 0);
    CHECK(index.err.empty());
    const auto region = run_command("bcftools view --no-version -H " + quote(path) + " chr2");
    REQUIRE(region.exit_code == 0);
    CHECK(region.out == kExpected[3] + "\n");
  }
}

TEST_CASE("VcfScoresWriter: '-' writes standard output", "[output][vcf]") {
  TempDir dir;
  const fs::path captured = dir / "stdout.vcf";
  {
    StdoutToFile redirect(captured);
    write_sample("-", VcfOutputType::VCF);
  }
  const auto body = run_command("bcftools view --no-version -H " + quote(captured));
  REQUIRE(body.exit_code == 0);
  CHECK(lines_of(body.out) == kExpected);
  CHECK_FALSE(fs::exists("-"));
}

TEST_CASE("VcfScoresWriter: destroyed without finish() leaves no output", "[output][vcf]") {
  const auto type = GENERATE(VcfOutputType::VCF, VcfOutputType::VCF_GZ, VcfOutputType::BCF);
  TempDir dir;
  const fs::path path = dir / "out";
  {
    auto writer = genomamba::output::create_vcf_scores_writer(path, type, scores_layout(), vcf_attributes());
    writer->append(sample_batch(), 0, 4);
    CHECK(fs::exists(partial_of(path)));
  }
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(partial_of(path)));
  CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("VcfScoresWriter: errors", "[output][vcf]") {
  TempDir dir;
  using genomamba::output::create_vcf_scores_writer;

  SECTION("a missing directory is an input error naming the output") {
    const fs::path path = dir / "missing" / "out.vcf";
    CHECK_THROWS_WITH(create_vcf_scores_writer(path, VcfOutputType::VCF, scores_layout(), vcf_attributes()),
                      Catch::Contains(path.string()) && Catch::Contains("does not exist"));
    CHECK_THROWS_AS(create_vcf_scores_writer(path, VcfOutputType::VCF, scores_layout(), vcf_attributes()),
                    genomamba::InputError);
  }
  SECTION("attributes without the input's header") {
    RootAttributes attrs = vcf_attributes();
    attrs.extra.clear();
    CHECK_THROWS_AS(create_vcf_scores_writer(dir / "out.vcf", VcfOutputType::VCF, scores_layout(), attrs),
                    genomamba::InternalError);
    CHECK(fs::is_empty(dir.path()));
  }
  SECTION("a row for an ALT allele the record does not have") {
    auto writer = create_vcf_scores_writer(dir / "out.vcf", VcfOutputType::VCF, scores_layout(), vcf_attributes());
    VariantBatch b;
    add_record(b, kRecords[0], {{2, 0, 1.0f, 1.0f}});
    b.scores = genomamba::core::Matrix(1, 2);
    CHECK_THROWS_WITH(writer->append(b, 0, 1), Catch::Contains("chr1:100") && Catch::Contains("allele 2"));
  }
  SECTION("a tag missing from the header: fine in VCF, an input error in BCF") {
    VariantBatch b;
    add_record(b, "chr1\t100\trs1\tA\tG\t50\tPASS\tXX=1\tGT\t0/1", {{1, 0, 1.0f, 2.0f}});
    b.scores = genomamba::core::Matrix(1, 2);
    auto vcf = create_vcf_scores_writer(dir / "out.vcf", VcfOutputType::VCF, scores_layout(), vcf_attributes());
    vcf->append(b, 0, 1);
    vcf->finish();
    auto bcf = create_vcf_scores_writer(dir / "out.bcf", VcfOutputType::BCF, scores_layout(), vcf_attributes());
    CHECK_THROWS_WITH(bcf->append(b, 0, 1), Catch::Contains("out.bcf") && Catch::Contains("chr1:100"));
    CHECK_THROWS_AS(bcf->append(b, 0, 1), genomamba::InputError);
    bcf.reset();
    CHECK_FALSE(fs::exists(dir / "out.bcf"));
  }
}

TEST_CASE("VcfScoresWriter: a failed write is a device error", "[output][vcf]") {
  const auto type = GENERATE(VcfOutputType::VCF, VcfOutputType::VCF_GZ);
  // /dev/full accepts the open and fails every write with ENOSPC: the buffered output fails at the latest
  // when finish() flushes it.
  StdoutToFile redirect("/dev/full");
  auto writer = genomamba::output::create_vcf_scores_writer("-", type, scores_layout(), vcf_attributes());
  CHECK_THROWS_AS([&] {
    writer->append(sample_batch(), 0, 4);
    writer->finish();
  }(), genomamba::DeviceError);
}
