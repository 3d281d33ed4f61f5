// End-to-end `genomamba score` and `genomamba ism` (issue 4): every allele class and status on a hand-made
// VCF, agreement with the float64 reference (tools/reference/compare_scores.py), identical numbers in .h5,
// .vcf.gz, .bcf and .tsv read by bcftools and h5py, PS strand symmetry, shards + merge and a killed, resumed
// run equal to a plain run, ism equal to score on the same SNVs, and bad input.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "support/data_path.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

using Catch::Contains;
using genomamba::test::CommandResult;
using genomamba::test::TempDir;
using genomamba::test::read_file;
using genomamba::test::run_command;
using genomamba::test::run_genomamba;
using genomamba::test::write_file;
namespace fs = std::filesystem;

namespace {

constexpr int kWindow = 101;  // odd: the centred window is the mirror image of itself on the other strand

// chrA: 700 random bases with a lowercase stretch at 300..349 and an N run at 400..409; chrB: 250 bases.
struct Genome {
  std::string chrA, chrB;
};

Genome make_genome() {
  std::mt19937 rng(4242);
  Genome g;
  for (int i = 0; i < 700; ++i) g.chrA += "ACGT"[rng() % 4];
  for (int i = 0; i < 250; ++i) g.chrB += "ACGT"[rng() % 4];
  for (int i = 300; i < 350; ++i) g.chrA[static_cast<size_t>(i)] = static_cast<char>(std::tolower(g.chrA[static_cast<size_t>(i)]));
  for (int i = 400; i < 410; ++i) g.chrA[static_cast<size_t>(i)] = 'N';
  return g;
}

std::string fasta_text(const std::map<std::string, std::string>& contigs) {
  std::string text;
  for (const auto& [name, seq] : contigs) {
    text += ">" + name + "\n";
    for (size_t i = 0; i < seq.size(); i += 60) text += seq.substr(i, 60) + "\n";
  }
  return text;
}

char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }
// A base other than `c` (deterministic).
char other(char c) { return upper(c) == 'A' ? 'G' : upper(c) == 'C' ? 'T' : upper(c) == 'G' ? 'A' : 'C'; }
// A third base, different from `c` and from other(c).
char other2(char c) { return upper(c) == 'A' ? 'T' : upper(c) == 'C' ? 'A' : upper(c) == 'G' ? 'C' : 'G'; }
std::string up(std::string s) {
  for (char& c : s) c = upper(c);
  return s;
}

std::string vcf_header(const Genome& g, int chrA_length_in_header = 700) {
  return "##fileformat=VCFv4.2\n##contig=<ID=chrA,length=" + std::to_string(chrA_length_in_header) +
         ">\n##contig=<ID=chrB,length=" + std::to_string(g.chrB.size()) +
         ">\n##contig=<ID=chrZ,length=1000>\n##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
         "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
}

std::string record(const std::string& chrom, int pos1, const std::string& id, const std::string& ref,
                   const std::string& alt, const std::string& info = ".") {
  return chrom + "\t" + std::to_string(pos1) + "\t" + id + "\t" + ref + "\t" + alt + "\t.\tPASS\t" + info + "\n";
}

// One record of every kind the issue lists, with the status each ALT must get.
struct Case {
  std::string line;
  std::vector<int> statuses;
};

std::vector<Case> every_allele_class(const Genome& g) {
  const std::string& a = g.chrA;
  const auto at = [&a](int pos1) { return std::string(1, upper(a[static_cast<size_t>(pos1 - 1)])); };
  const auto span = [&a](int pos1, int n) { return up(a.substr(static_cast<size_t>(pos1 - 1), static_cast<size_t>(n))); };
  std::vector<Case> cases = {
      {record("chrA", 1, "first_base", at(1), std::string(1, other(at(1)[0]))), {0}},
      {record("chrA", 60, "multi", at(60), std::string(1, other(at(60)[0])) + "," + std::string(1, other2(at(60)[0])), "DP=7"), {0, 0}},
      {record("chrA", 80, "mnv", span(80, 3), std::string(1, other(a[79])) + std::string(1, other(a[80])) + std::string(1, other(a[81]))), {0}},
      {record("chrA", 120, "insertion", at(120), at(120) + "GATTACA"), {0}},
      {record("chrA", 150, "deletion", span(150, 6), at(150)), {0}},
      {record("chrA", 180, "complex", span(180, 3), "TT"), {0}},
      {record("chrA", 200, "ref_mismatch", std::string(1, other(at(200)[0])), at(200)), {1}},
      {record("chrA", 220, "symbolic", at(220), "<DEL>"), {2}},
      {record("chrA", 230, "breakend", at(230), at(230) + "[chrB:10["), {2}},
      {record("chrA", 240, "star", at(240), "*," + std::string(1, other(at(240)[0]))), {2, 0}},
      {record("chrA", 250, "alt_n", at(250), "N"), {2}},
      {record("chrA", 320, "lowercase", at(320), std::string(1, other(at(320)[0]))), {0}},
      {record("chrA", 395, "near_n", at(395), std::string(1, other(at(395)[0]))), {0}},
      {record("chrA", 699, "past_end", span(699, 2) , "A"), {0}},
      {record("chrA", 700, "last_base", at(700), std::string(1, other(at(700)[0]))), {0}},
      {record("chrB", 5, "chrB_snv", std::string(1, upper(g.chrB[4])), std::string(1, other(g.chrB[4]))), {0}},
      {record("chrZ", 10, "absent_contig", "A", "C"), {3}},
  };
  // REF running past the end of the contig: status 3.
  cases[13] = {record("chrA", 700, "past_end", at(700) + "A", at(700)), {3}};
  return cases;
}

struct Fixture {
  TempDir dir;
  Genome genome = make_genome();
  fs::path fasta = dir / "ref.fa";
  fs::path vcf = dir / "v.vcf";
  std::vector<Case> cases = every_allele_class(genome);

  Fixture() {
    write_file(fasta, fasta_text({{"chrA", genome.chrA}, {"chrB", genome.chrB}}));
    REQUIRE(run_command("samtools faidx " + fasta.string()).exit_code == 0);
    std::string text = vcf_header(genome);
    for (const Case& c : cases) text += c.line;
    write_file(vcf, text);
  }
  std::string score_args(const std::string& model, const fs::path& out, const std::string& extra = "",
                         const std::string& variants = "") const {
    return "score -m " + genomamba::test::fixture_model(model) + " -v " + (variants.empty() ? vcf.string() : variants) +
           " -f " + fasta.string() +
           " -o " + out.string() + " --window " + std::to_string(kWindow) + " -@ 1 -q " + extra;
  }
};

std::vector<std::vector<std::string>> read_tsv(const fs::path& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::istringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, '\t')) fields.push_back(cell);
    rows.push_back(fields);
  }
  return rows;
}

CommandResult run_ok(const std::string& args) {
  const CommandResult r = run_genomamba(args);
  INFO(args << "\n" << r.err);
  REQUIRE(r.exit_code == 0);
  return r;
}

// Every dataset of two HDF5 files is equal (floats bit for bit, NaN included); attributes are not compared.
// Prints "same" or the first difference.
std::string compare_h5_datasets(const fs::path& a, const fs::path& b) {
  const std::string script =
      "import sys, h5py, numpy as np\n"
      "fa, fb = h5py.File(sys.argv[1], 'r'), h5py.File(sys.argv[2], 'r')\n"
      "na, nb = [], []\n"
      "fa.visit(lambda n: na.append(n) if isinstance(fa[n], h5py.Dataset) else None)\n"
      "fb.visit(lambda n: nb.append(n) if isinstance(fb[n], h5py.Dataset) else None)\n"
      "if sorted(na) != sorted(nb): print('datasets differ', sorted(na), sorted(nb)); sys.exit()\n"
      "for n in sorted(na):\n"
      "    x, y = fa[n][()], fb[n][()]\n"
      "    same = x.shape == y.shape and (x.tobytes() == y.tobytes() if x.dtype.kind in 'fiu' else list(x) == list(y))\n"
      "    if not same: print('differs:', n); sys.exit()\n"
      "print('same', len(na))\n";
  write_file(a.string() + ".compare.py", script);
  const CommandResult r = run_command("/usr/bin/python3 " + a.string() + ".compare.py " + a.string() + " " + b.string());
  fs::remove(a.string() + ".compare.py");
  return r.exit_code == 0 ? r.out : "python failed: " + r.err;
}

// The command that checks a score TSV against the float64 reference (tools/reference/compare_scores.py).
std::string compare_scores(const fs::path& tsv, const fs::path& model_dir, const fs::path& fasta,
                           const std::string& strand, int window = kWindow) {
  return "/usr/bin/python3 " + genomamba::test::source_path("tools/reference/compare_scores.py").string() + " " +
         tsv.string() + " -m " + model_dir.string() + " -f " + fasta.string() + " --window " +
         std::to_string(window) + " --strand " + strand;
}

}  // namespace

TEST_CASE("genomamba score: every allele class gets its status; llr only for SNV/MNV", "[apps][score]") {
  Fixture f;
  run_ok(f.score_args("ph_tiny", f.dir / "out.tsv"));
  const auto rows = read_tsv(f.dir / "out.tsv");
  REQUIRE(rows.at(0) == std::vector<std::string>{"chrom", "pos", "id", "ref", "alt", "allele", "status", "llr",
                                                 "wt_llr", "emb_cos", "emb_l2"});
  size_t row = 1;
  for (const Case& c : f.cases) {
    for (size_t k = 0; k < c.statuses.size(); ++k, ++row) {
      REQUIRE(row < rows.size());
      const auto& r = rows[row];
      INFO(c.line << "row: " << r[2] << " " << r[4]);
      CHECK(r[5] == std::to_string(k + 1));
      CHECK(r[6] == std::to_string(c.statuses[k]));
      const bool scored = c.statuses[k] == 0;
      const bool substitution = r[3].size() == r[4].size();
      CHECK((r[7] != "NA") == (scored && substitution));  // llr
      CHECK((r[8] != "NA") == (scored && substitution));  // wt_llr
      CHECK((r[9] != "NA") == scored);                    // emb_cos
      CHECK((r[10] != "NA") == scored);                   // emb_l2
    }
  }
  CHECK(row == rows.size());
}

TEST_CASE("genomamba score: the shipped default model on the shipped example equals the float64 reference",
          "[apps][score]") {
  // What the README's main command runs (scripts/demo.sh), on the example's first 7 kb to keep the float64
  // reference quick: 6 SNVs (llr, wt_llr, embeddings) and 1 insertion (embeddings), both strands.
  const TempDir dir;
  const fs::path model = genomamba::test::source_path("data/models/caduceus-ph-bacterial-d192-l4");
  const fs::path fasta = genomamba::test::source_path("data/kaptive-K54/K54.fa");
  const fs::path out = dir / "K54.tsv";
  run_ok("score -m " + model.string() + " -v " + genomamba::test::source_path("data/kaptive-K54/K54.vcf").string() +
         " -f " + fasta.string() + " -o " + out.string() + " -r K54:1-7000 --window 1024 -q");
  const CommandResult check = run_command(compare_scores(out, model, fasta, "both", 1024));
  INFO(check.out << check.err);
  CHECK(check.exit_code == 0);
  CHECK_THAT(check.out, Contains("llr: 6 values"));
  CHECK_THAT(check.out, Contains("emb_cos: 7 values"));
}

TEST_CASE("genomamba score: scores equal the float64 reference (PH both, PS fwd)", "[apps][score]") {
  Fixture f;
  for (const auto& [model, strand] : {std::pair{"ph_tiny", "both"}, std::pair{"ps_tiny", "fwd"}}) {
    const fs::path out = f.dir / (std::string(model) + ".tsv");
    run_ok(f.score_args(model, out, std::string("--strand ") + strand));
    const CommandResult check = run_command(compare_scores(out, genomamba::test::fixture_model(model), f.fasta, strand));
    INFO(check.out << check.err);
    CHECK(check.exit_code == 0);
    CHECK_THAT(check.out, Contains("llr: 9 values"));
  }
}

TEST_CASE("genomamba score: .h5, .vcf.gz, .bcf and .tsv carry the same numbers; bcftools reads them",
          "[apps][score]") {
  Fixture f;
  for (const char* out : {"s.h5", "s.vcf.gz", "s.bcf", "s.tsv"}) run_ok(f.score_args("ph_tiny", f.dir / out));
  // The TSV's numbers, one line per allele: chrom pos alt llr wt_llr emb_cos emb_l2 (status 0 only: the VCF
  // has missing values for the others).
  std::string from_tsv;
  const auto rows = read_tsv(f.dir / "s.tsv");
  for (size_t i = 1; i < rows.size(); ++i) {
    if (rows[i][6] != "0") continue;
    from_tsv += rows[i][0] + " " + rows[i][1] + " " + rows[i][4] + " " + rows[i][7] + " " + rows[i][8] + " " +
                rows[i][9] + " " + rows[i][10] + "\n";
  }
  for (const char* vcf : {"s.vcf.gz", "s.bcf"}) {
    const fs::path path = f.dir / vcf;
    REQUIRE(run_command("bcftools view " + path.string() + " > /dev/null").exit_code == 0);
    REQUIRE(run_command("bcftools index " + path.string()).exit_code == 0);
    // One line per ALT allele with its own values (Number=A), NA for a missing value, like the TSV.
    const CommandResult q = run_command(
        "bcftools norm -m -any " + path.string() +
        " 2>/dev/null | bcftools query -i 'GM_EMB_L2!=\".\"' -f '%CHROM %POS %ALT %GM_LLR %GM_WT_LLR %GM_EMB_COS "
        "%GM_EMB_L2\\n' | sed 's/ \\./ NA/g'");
    REQUIRE(q.exit_code == 0);
    CHECK(q.out == from_tsv);
  }
  const std::string dump =
      "import h5py, math\n"
      "f = h5py.File('" + (f.dir / "s.h5").string() + "', 'r')\n"
      "v = f['variants']\n"
      "fmt = lambda x: 'NA' if math.isnan(x) else '%g' % x\n"
      "for i in range(v['pos'].shape[0]):\n"
      "    if v['status'][i] != 0: continue\n"
      "    print(v['chrom'][i].decode(), v['pos'][i], v['alt'][i].decode(), "
      "*[fmt(f['scores'][s][i]) for s in ('llr', 'wt_llr', 'emb_cos', 'emb_l2')])\n";
  write_file(f.dir / "dump.py", dump);
  const CommandResult h5 = run_command("/usr/bin/python3 " + (f.dir / "dump.py").string());
  INFO(h5.err);
  REQUIRE(h5.exit_code == 0);
  CHECK(h5.out == from_tsv);
  // The records of the VCF output are the input's, in order, with the GM_* fields added.
  const CommandResult ids = run_command("bcftools query -f '%ID %INFO/DP\\n' " + (f.dir / "s.vcf.gz").string());
  CHECK_THAT(ids.out, Contains("multi 7\n"));
  CHECK(std::count(ids.out.begin(), ids.out.end(), '\n') == static_cast<long>(f.cases.size()));
  const CommandResult header = run_command("bcftools view -h " + (f.dir / "s.bcf").string());
  CHECK_THAT(header.out, Contains("##INFO=<ID=GM_LLR,Number=A,Type=Float"));
  CHECK_THAT(header.out, Contains("##genomamba_model_sha256="));
}

TEST_CASE("genomamba score: PS llr is strand-symmetric", "[apps][score]") {
  // Scoring the reverse-complemented contig with complemented alleles at mirrored positions gives the
  // same llr (odd window, SNVs away from N).
  Fixture f;
  const std::string& a = f.genome.chrA;
  const auto n = static_cast<int>(a.size());
  std::string rc;
  for (int i = n - 1; i >= 0; --i) {
    const char c = upper(a[static_cast<size_t>(i)]);
    rc += c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : c == 'T' ? 'A' : 'N';
  }
  const auto comp = [](char c) { return c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : 'A'; };
  std::string fwd_vcf = "##fileformat=VCFv4.2\n##contig=<ID=chrA,length=700>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  std::string rev_vcf = "##fileformat=VCFv4.2\n##contig=<ID=rcA,length=700>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  std::vector<std::string> rev_lines;
  for (int pos1 : {3, 51, 200, 333, 650, 699}) {
    const char ref = upper(a[static_cast<size_t>(pos1 - 1)]);
    fwd_vcf += record("chrA", pos1, ".", std::string(1, ref), std::string(1, other(ref)));
    rev_lines.insert(rev_lines.begin(), record("rcA", n + 1 - pos1, ".", std::string(1, comp(ref)),
                                               std::string(1, comp(other(ref)))));
  }
  for (const std::string& line : rev_lines) rev_vcf += line;
  write_file(f.dir / "rc.fa", fasta_text({{"rcA", rc}}));
  REQUIRE(run_command("samtools faidx " + (f.dir / "rc.fa").string()).exit_code == 0);
  write_file(f.dir / "fwd.vcf", fwd_vcf);
  write_file(f.dir / "rev.vcf", rev_vcf);
  const std::string common = " --window " + std::to_string(kWindow) + " --scores llr -@ 1 -q -m " +
                             genomamba::test::fixture_model("ps_tiny");
  run_ok("score -v " + (f.dir / "fwd.vcf").string() + " -f " + f.fasta.string() + " -o " + (f.dir / "fwd.tsv").string() + common);
  run_ok("score -v " + (f.dir / "rev.vcf").string() + " -f " + (f.dir / "rc.fa").string() + " -o " + (f.dir / "rev.tsv").string() + common);
  const auto fwd = read_tsv(f.dir / "fwd.tsv"), rev = read_tsv(f.dir / "rev.tsv");
  REQUIRE(fwd.size() == 7);
  REQUIRE(rev.size() == 7);
  for (size_t i = 1; i < fwd.size(); ++i) {
    const double x = std::stod(fwd[i][7]), y = std::stod(rev[fwd.size() - i][7]);
    INFO(fwd[i][1] << ": " << x << " vs " << y);
    CHECK(std::abs(x - y) <= 1e-4 * std::max(std::abs(x), 1e-2));
  }
}

TEST_CASE("genomamba score: shards + merge and a killed, resumed run equal a plain run", "[apps][score]") {
  Fixture f;
  run_ok(f.score_args("ph_tiny", f.dir / "plain.tsv") + " --batch 2");
  std::string parts;
  for (int i = 0; i < 3; ++i) {
    const fs::path part = f.dir / ("part" + std::to_string(i) + ".h5");
    run_ok(f.score_args("ph_tiny", part, "--batch 2 --shard " + std::to_string(i) + "/3"));
    parts += " " + part.string();
  }
  run_ok("merge -q -o " + (f.dir / "merged.tsv").string() + parts);
  CHECK(read_file(f.dir / "merged.tsv") == read_file(f.dir / "plain.tsv"));
  run_ok("merge -q -o " + (f.dir / "merged.vcf").string() + parts);
  run_ok(f.score_args("ph_tiny", f.dir / "plain.vcf"));
  const auto body = [](const fs::path& p) { return run_command("grep -v '^##' " + p.string()).out; };
  CHECK(body(f.dir / "merged.vcf") == body(f.dir / "plain.vcf"));

  const fs::path out = f.dir / "killed.tsv";
  const fs::path first_batch = f.dir / "killed.tsv.partial.d" / "batch_000000.h5";
  const bool killed = genomamba::test::run_and_kill(
      f.score_args("ph_tiny", out, "--batch 1"), [&] { return fs::exists(first_batch); }, f.dir / "log");
  CHECK(killed);
  run_ok(f.score_args("ph_tiny", out, "--batch 1 --resume"));
  CHECK(read_file(out) == read_file(f.dir / "plain.tsv"));
}

TEST_CASE("genomamba score: standard input and regions", "[apps][score]") {
  Fixture f;
  run_ok(f.score_args("ph_tiny", f.dir / "file.tsv", "--scores wt_llr"));
  const std::string piped = "cat " + f.vcf.string() + " | '" + genomamba::test::genomamba_binary().string() + "' " +
                            f.score_args("ph_tiny", f.dir / "stdin.tsv", "--scores wt_llr", "-");
  REQUIRE(run_command(piped).exit_code == 0);
  CHECK(read_file(f.dir / "stdin.tsv") == read_file(f.dir / "file.tsv"));
  run_ok(f.score_args("ph_tiny", f.dir / "chrB.tsv", "--scores wt_llr -r chrB"));
  const auto rows = read_tsv(f.dir / "chrB.tsv");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1][2] == "chrB_snv");
}

TEST_CASE("genomamba score: REF mismatch policies", "[apps][score]") {
  Fixture f;
  const CommandResult error = run_genomamba(f.score_args("ph_tiny", f.dir / "e.tsv", "--ref-mismatch error"));
  CHECK(error.exit_code == 1);
  CHECK_THAT(error.err, Contains("v.vcf: record 7 (chrA:200): REF"));
  CHECK_FALSE(fs::exists(f.dir / "e.tsv"));
  CHECK_FALSE(fs::exists(f.dir / "e.tsv.partial.d"));
  run_ok(f.score_args("ph_tiny", f.dir / "s.tsv", "--ref-mismatch skip --scores emb_l2"));
  CHECK_THAT(read_file(f.dir / "s.tsv"), !Contains("ref_mismatch"));
  run_ok(f.score_args("ph_tiny", f.dir / "s.vcf", "--ref-mismatch skip --scores emb_l2"));
  CHECK_THAT(read_file(f.dir / "s.vcf"), Contains("ref_mismatch"));  // VCF records are all kept
}

TEST_CASE("genomamba score: bad input gets one clear line and exit code 1, and no output", "[apps][score]") {
  Fixture f;
  const auto refused = [&](const std::string& args, const std::string& message, int code = 1) {
    const CommandResult r = run_genomamba(args);
    INFO(args << "\n" << r.err);
    CHECK(r.exit_code == code);
    CHECK_THAT(r.err, Contains(message));
    CHECK_FALSE(fs::exists(f.dir / "bad.tsv"));
  };
  write_file(f.dir / "other_build.vcf", vcf_header(f.genome, 800) + f.cases[0].line);
  refused("score -q -m " + genomamba::test::fixture_model("ph_tiny") + " -v " + (f.dir / "other_build.vcf").string() +
              " -f " + f.fasta.string() + " -o " + (f.dir / "bad.tsv").string(),
          "contig 'chrA' has length 800 in the VCF header but 700");
  write_file(f.dir / "broken.vcf", vcf_header(f.genome) + "chrA\tnotanumber\t.\tA\tC\t.\tPASS\t.\n");
  refused("score -q -m " + genomamba::test::fixture_model("ph_tiny") + " -v " + (f.dir / "broken.vcf").string() +
              " -f " + f.fasta.string() + " -o " + (f.dir / "bad.tsv").string(),
          "broken.vcf");
  // Usage errors (the command line alone shows them): exit 2.
  refused(f.score_args("ph_tiny", f.dir / "bad.txt"), "unknown output type", 2);
  refused(f.score_args("ph_tiny", f.dir / "bad.tsv", "--save-embeddings"), "--save-embeddings needs an .h5 output", 2);
  refused(f.score_args("ph_tiny", f.dir / "bad.tsv", "--scores llr,foo"), "unknown score 'foo'", 2);
  fs::remove(f.fasta.string() + ".fai");
  write_file(f.dir / "plain.fa", read_file(f.fasta));
  refused("score -q -m " + genomamba::test::fixture_model("ph_tiny") + " -v " + f.vcf.string() + " -f " +
              (f.dir / "plain.fa").string() + " -o " + (f.dir / "bad.tsv").string(),
          "samtools faidx");
}

TEST_CASE("genomamba ism: equals score on the same SNVs (wt_llr, and llr with --masked)", "[apps][score]") {
  Fixture f;
  // Every SNV at chrA:58-62 (1-based), scored by `score`.
  std::string text = vcf_header(f.genome);
  for (int pos1 = 58; pos1 <= 62; ++pos1) {
    const char ref = upper(f.genome.chrA[static_cast<size_t>(pos1 - 1)]);
    for (char alt : std::string("ACGT")) {
      if (alt != ref) text += record("chrA", pos1, ".", std::string(1, ref), std::string(1, alt));
    }
  }
  write_file(f.dir / "snvs.vcf", text);
  const std::string common = " -f " + f.fasta.string() + " --window " + std::to_string(kWindow) + " -@ 1 -q -m " +
                             genomamba::test::fixture_model("ph_tiny");
  for (const bool masked : {false, true}) {
    const std::string score_name = masked ? "llr" : "wt_llr";
    run_ok("score -v " + (f.dir / "snvs.vcf").string() + " -o " + (f.dir / "snvs.tsv").string() + " --scores " +
           score_name + common);
    run_ok("ism -r chrA:58-62 -o " + (f.dir / "ism.h5").string() + (masked ? " --masked" : "") + common);
    const CommandResult dump = run_command(
        "/usr/bin/python3 -c \"import h5py\nf = h5py.File('" + (f.dir / "ism.h5").string() +
        "', 'r')\nfor p, r, s in zip(f['ism/positions'][:], f['ism/ref'][:], f['ism/scores'][:]):\n"
        "    [print('chrA', p, 'ACGT'[b], '%g' % s[b]) for b in range(4) if b != r]\"");
    INFO(dump.err);
    REQUIRE(dump.exit_code == 0);
    std::string from_score;
    const auto rows = read_tsv(f.dir / "snvs.tsv");
    for (size_t i = 1; i < rows.size(); ++i) from_score += rows[i][0] + " " + rows[i][1] + " " + rows[i][4] + " " + rows[i][7] + "\n";
    CHECK(dump.out == from_score);
  }
}

TEST_CASE("genomamba ism: shards + merge and a killed, resumed run equal a plain run", "[apps][score]") {
  Fixture f;
  const std::string common = " -f " + f.fasta.string() + " -r chrA:40-70 --window " + std::to_string(kWindow) +
                             " -@ 1 -q -m " + genomamba::test::fixture_model("ph_tiny") + " --batch 4";
  run_ok("ism -o " + (f.dir / "plain.h5").string() + common);
  std::string parts;
  for (int i = 0; i < 3; ++i) {
    const fs::path part = f.dir / ("part" + std::to_string(i) + ".h5");
    run_ok("ism -o " + part.string() + common + " --shard " + std::to_string(i) + "/3");
    parts += " " + part.string();
  }
  run_ok("merge -q -o " + (f.dir / "merged.h5").string() + parts);
  CHECK_THAT(compare_h5_datasets(f.dir / "merged.h5", f.dir / "plain.h5"), Catch::StartsWith("same 3"));

  const fs::path out = f.dir / "killed.h5";
  const fs::path first_batch = f.dir / "killed.h5.partial.d" / "batch_000000.h5";
  CHECK(genomamba::test::run_and_kill("ism -o " + out.string() + common, [&] { return fs::exists(first_batch); },
                                      f.dir / "log"));
  CHECK_FALSE(fs::exists(out));
  run_ok("ism -o " + out.string() + common + " --resume");
  CHECK_THAT(compare_h5_datasets(out, f.dir / "plain.h5"), Catch::StartsWith("same 3"));
}

TEST_CASE("genomamba score: --save-embeddings stores the REF and ALT window embeddings behind emb_cos/emb_l2",
          "[apps][score]") {
  Fixture f;
  const fs::path out = f.dir / "emb.h5";
  run_ok(f.score_args("ph_tiny", out, "--save-embeddings --scores emb_cos,emb_l2"));
  // Recompute both distances in float64 from the stored embeddings; rows that were not scored hold NaN.
  const CommandResult check = run_command(
      "/usr/bin/python3 -c \"import h5py, numpy as np\n"
      "f = h5py.File('" + out.string() + "', 'r')\n"
      "r, a = f['embeddings/ref'][:].astype(np.float64), f['embeddings/alt'][:].astype(np.float64)\n"
      "st = f['variants/status'][:]\n"
      "assert r.shape == a.shape and r.shape[0] == st.shape[0] and r.shape[1] == 16, r.shape\n"
      "ok = st == 0\n"
      "assert np.isnan(r[~ok]).all() and np.isnan(a[~ok]).all()\n"
      "l2 = np.linalg.norm(r[ok] - a[ok], axis=1)\n"
      "cos = 1 - (r[ok] * a[ok]).sum(1) / np.linalg.norm(r[ok], axis=1) / np.linalg.norm(a[ok], axis=1)\n"
      "assert np.allclose(f['scores/emb_l2'][:][ok], l2, rtol=1e-5, atol=1e-7), 'emb_l2'\n"
      "assert np.allclose(f['scores/emb_cos'][:][ok], cos, rtol=1e-4, atol=1e-7), 'emb_cos'\n"
      "assert (l2 > 0).all()\n"
      "print(ok.sum())\"");
  INFO(check.out << check.err);
  REQUIRE(check.exit_code == 0);
  CHECK(std::stoi(check.out) >= 10);
}

TEST_CASE("genomamba score: --ref-mismatch skip leaves the mismatching rows out of .h5 as out of .tsv",
          "[apps][score]") {
  Fixture f;
  run_ok(f.score_args("ph_tiny", f.dir / "flag.h5", "--scores emb_l2"));
  run_ok(f.score_args("ph_tiny", f.dir / "skip.h5", "--scores emb_l2 --ref-mismatch skip"));
  const CommandResult check = run_command(
      "/usr/bin/python3 -c \"import h5py, numpy as np\n"
      "a, b = h5py.File('" + (f.dir / "flag.h5").string() + "', 'r'), h5py.File('" + (f.dir / "skip.h5").string() +
      "', 'r')\n"
      "ida, idb = list(a['variants/id'].asstr()[:]), list(b['variants/id'].asstr()[:])\n"
      "sa, sb = list(a['variants/status'][:]), list(b['variants/status'][:])\n"
      "keep = [i for i, s in enumerate(sa) if s != 1]\n"
      "assert 1 in sa and 1 not in sb, (sa, sb)\n"
      "assert idb == [ida[i] for i in keep] and 'ref_mismatch' not in idb, idb\n"
      "assert np.array_equal(b['scores/emb_l2'][:], a['scores/emb_l2'][:][keep], equal_nan=True)\n"
      "print(len(ida) - len(idb))\"");
  INFO(check.out << check.err);
  REQUIRE(check.exit_code == 0);
  CHECK(check.out == "1\n");
}
