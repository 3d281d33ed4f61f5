#include "output/tsv_scores_writer.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>

#include "core/error.h"
#include "support/checks.h"
#include "support/temp_dir.h"

using genomamba::DeviceError;
using genomamba::InputError;
using genomamba::InternalError;
using genomamba::core::Matrix;
using genomamba::output::format_tsv_score;
using genomamba::output::ScoreKind;
using genomamba::output::TsvScoresWriter;
using genomamba::output::VariantBatch;
using genomamba::output::VariantScoresLayout;
using genomamba::test::read_file;
using genomamba::test::TempDir;
namespace fs = std::filesystem;

using genomamba::test::thrown;

using genomamba::test::partial_of;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Three records: multi-allelic (2 rows), dropped (0 rows), REF mismatch (1 row, NaN scores).
VariantBatch sample_batch(int64_t embedding_width) {
  VariantBatch b;
  b.record_line = {"chr1\t10\trs1\tA\tG,AT\t.\t.\t.", "chr1\t20\t.\tC\tT\t.\t.\t.", "chrX\t30\t.\tG\tC\t.\t.\t."};
  b.n_rows = {2, 0, 1};
  b.chrom = {"chr1", "chr1", "chrX"};
  b.pos = {10, 10, 30};
  b.id = {"rs1", "rs1", "."};
  b.ref = {"A", "A", "G"};
  b.alt = {"G", "AT", "C"};
  b.allele = {1, 2, 1};
  b.status = {0, 0, 1};
  b.scores = Matrix(3, 2);
  b.scores.at(0, 0) = -1.23457f;
  b.scores.at(0, 1) = 0.5f;
  b.scores.at(1, 0) = kNaN;
  b.scores.at(1, 1) = 123457.0f;
  b.scores.at(2, 0) = kNaN;
  b.scores.at(2, 1) = kNaN;
  if (embedding_width > 0) {
    b.ref_embedding = Matrix(3, embedding_width);
    b.alt_embedding = Matrix(3, embedding_width);
  }
  return b;
}

const char* const kExpected =
    "chrom\tpos\tid\tref\talt\tallele\tstatus\tllr\temb_cos\n"
    "chr1\t10\trs1\tA\tG\t1\t0\t-1.23457\t0.5\n"
    "chr1\t10\trs1\tA\tAT\t2\t0\tNA\t123457\n"
    "chrX\t30\t.\tG\tC\t1\t1\tNA\tNA\n";

}  // namespace

TEST_CASE("format_tsv_score: %g with NA for NaN", "[output][tsv]") {
  CHECK(format_tsv_score(kNaN) == "NA");
  CHECK(format_tsv_score(0.0f) == "0");
  CHECK(format_tsv_score(-1.5f) == "-1.5");
  CHECK(format_tsv_score(0.123457f) == "0.123457");
  CHECK(format_tsv_score(1.5e-7f) == "1.5e-07");
  CHECK(format_tsv_score(1234567.0f) == "1.23457e+06");
}

TEST_CASE("TsvScoresWriter: exact content, rows per allele, NaN as NA", "[output][tsv]") {
  TempDir dir;
  const auto path = dir / "out.tsv";
  const VariantScoresLayout layout{{ScoreKind::LLR, ScoreKind::EMB_COS}, 0};
  const VariantBatch batch = sample_batch(0);
  {
    TsvScoresWriter writer(path, layout);
    CHECK(fs::exists(partial_of(path)));
    CHECK_FALSE(fs::exists(path));
    writer.append(batch, 0, 1);
    writer.append(batch, 1, 0);
    writer.append(batch, 1, 2);
    writer.finish();
  }
  CHECK_FALSE(fs::exists(partial_of(path)));
  CHECK(read_file(path) == kExpected);
}

TEST_CASE("TsvScoresWriter: an empty output has the header; embeddings are ignored", "[output][tsv]") {
  TempDir dir;
  {
    TsvScoresWriter writer(dir / "empty.tsv", {{ScoreKind::WT_LLR, ScoreKind::EMB_L2, ScoreKind::LLR}, 0});
    writer.finish();
  }
  CHECK(read_file(dir / "empty.tsv") == "chrom\tpos\tid\tref\talt\tallele\tstatus\twt_llr\temb_l2\tllr\n");
  {
    TsvScoresWriter writer(dir / "emb.tsv", {{ScoreKind::LLR, ScoreKind::EMB_COS}, 4});
    writer.append(sample_batch(4), 0, 3);
    writer.finish();
  }
  CHECK(read_file(dir / "emb.tsv") == kExpected);
}

TEST_CASE("TsvScoresWriter: destroyed without finish() leaves no file", "[output][tsv]") {
  TempDir dir;
  const auto path = dir / "out.tsv";
  {
    TsvScoresWriter writer(path, {{ScoreKind::LLR, ScoreKind::EMB_COS}, 0});
    writer.append(sample_batch(0), 0, 3);
    CHECK_THROWS_AS(writer.append(sample_batch(4), 0, 3), InternalError);  // embeddings not in the layout
  }
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(partial_of(path)));
}

TEST_CASE("TsvScoresWriter: creation and write errors name the path", "[output][tsv]") {
  TempDir dir;
  const VariantScoresLayout layout{{ScoreKind::LLR, ScoreKind::EMB_COS}, 0};
  CHECK_THROWS_MATCHES(TsvScoresWriter(dir.path(), layout), InputError,
                       Catch::Message(dir.path().string() + ": cannot create output file (it is a directory)"));
  CHECK_THAT(thrown<InputError>([&] { TsvScoresWriter(dir / "no" / "out.tsv", layout); }),
             Catch::StartsWith((dir / "no" / "out.tsv").string() + ": cannot create output file ("));

  // A partial file that is a link to /dev/full: every write fails with ENOSPC when flushed.
  const auto path = dir / "full.tsv";
  fs::create_symlink("/dev/full", partial_of(path));
  {
    TsvScoresWriter writer(path, layout);
    writer.append(sample_batch(0), 0, 3);
    CHECK_THROWS_MATCHES(writer.finish(), DeviceError,
                         Catch::Message(path.string() + ": cannot write (No space left on device)"));
  }
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::is_symlink(partial_of(path)));
}

TEST_CASE("TsvScoresWriter: '-' writes to standard output", "[output][tsv]") {
  TempDir dir;
  const auto captured = dir / "stdout.txt";
  std::fflush(stdout);
  const int saved = dup(1);
  const int fd = open(captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dup2(fd, 1);
  close(fd);
  {
    TsvScoresWriter writer("-", {{ScoreKind::LLR, ScoreKind::EMB_COS}, 0});
    writer.append(sample_batch(0), 0, 3);
    writer.finish();
  }
  std::fflush(stdout);
  dup2(saved, 1);
  close(saved);
  CHECK(read_file(captured) == kExpected);
  CHECK_FALSE(fs::exists("-.partial"));
}
