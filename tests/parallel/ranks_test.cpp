// Sequence parallelism over MPI ranks (design §6): every rank runs the forward on its shard of the sequence
// and must get exactly its rows of the single-process result (to fp32 rounding: the shards' summaries are
// composed, performance.md §3.4), for PH and PS, every output (hidden states of several layers, logits), strand
// fwd and both, lengths not divisible by the ranks, shards shorter than the conv width, empty shards, and a
// shard that is all N. Run under mpirun with 1, 2 and 4 ranks (tests/parallel/CMakeLists.txt); every rank
// runs the same cases in the same order, and checks never stop a case halfway (CHECK, not REQUIRE), so the
// ranks' collectives stay matched.
#include <catch2/catch.hpp>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "model/caduceus.h"
#include "model/strand.h"
#include "parallel/mpi_communicator.h"
#include "support/model_fixtures.h"
#include "support/tensor_compare.h"
#include "tokenize/dna_tokenizer.h"

using namespace genomamba;
using test::random_ids;

namespace {

// Sharded against single-process: the same fp32 arithmetic but the scan's state crosses shards through the
// composition of summaries (as chunk composition on one process, whose test also uses 1e-5).
constexpr double kTolerance = 1e-5;

parallel::Communicator& world() {
  static const std::unique_ptr<parallel::Communicator> comm = parallel::make_mpi();
  return *comm;
}

/// Rows [begin, end) of a [rows, cols] matrix.
std::vector<float> rows_of(const core::Matrix& m, const parallel::Shard& s) {
  return {m.row(0) + s.begin * m.cols(), m.row(0) + s.end * m.cols()};
}

void check_rows(const core::Matrix& local, const core::Matrix& full, const parallel::Shard& s, const char* what) {
  INFO(what << ": rows " << s.begin << ".." << s.end << " of " << full.rows());
  CHECK(local.rows() == s.size());
  CHECK(local.cols() == full.cols());
  if (local.rows() != s.size() || local.cols() != full.cols() || s.size() == 0) return;
  const double err = test::relative_error(local.span(), rows_of(full, s));
  INFO("relative error " << err);
  CHECK(err <= kTolerance);
}

/// The lengths each case runs: not divisible by the ranks, shards shorter than d_conv, fewer tokens than ranks.
std::vector<int64_t> lengths(int ranks) { return {1001, 2 * int64_t{ranks} + 1, int64_t{ranks} - 1, 1}; }

}  // namespace

TEST_CASE("ranks: each rank's shard of a forward equals its rows of the single-process forward", "[parallel]") {
  parallel::Communicator& comm = world();
  for (const std::string name : {"ph_tiny", "ps_tiny", "ph_odd", "ps_odd"}) {
    const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
    for (int64_t L : lengths(comm.size())) {
      for (bool all_n : {false, true}) {
        INFO(name << ", " << L << " tokens, " << comm.size() << " ranks, rank " << comm.rank()
                  << (all_n ? ", rank 1's shard all N" : ""));
        std::vector<int32_t> ids = random_ids(L, 17);
        const parallel::Shard shard = parallel::shard_of(L, comm.rank(), comm.size());
        if (all_n) {
          const parallel::Shard one = parallel::shard_of(L, 1 % comm.size(), comm.size());
          for (int64_t i = one.begin; i < one.end; ++i) ids[static_cast<size_t>(i)] = tokenize::kNId;
        }
        model::ForwardOptions o;
        o.want_logits = true;
        o.capture_layers = {0, 1, m.config().n_layer};
        o.memory = model::MemoryMode::WHOLE_SEQUENCE;
        const model::ForwardResult full = m.forward(ids, o);
        o.comm = &comm;
        const std::vector<int32_t> local(ids.begin() + shard.begin, ids.begin() + shard.end);
        const model::ForwardResult part = m.forward(local, o);
        check_rows(part.final_hidden, full.final_hidden, shard, "last_hidden_state");
        check_rows(part.logits, full.logits, shard, "logits");
        for (const auto& [k, h] : full.layer_hidden) check_rows(part.layer_hidden.at(k), h, shard, "hidden_states");
      }
    }
  }
}

TEST_CASE("ranks: strand both and fwd, PH (mirror shards of the reverse complement) and PS", "[parallel]") {
  parallel::Communicator& comm = world();
  for (const std::string name : {"ph_tiny", "ps_tiny", "ph_odd"}) {
    const model::Caduceus m = model::Caduceus::load(test::model_dir(name));
    for (int64_t L : lengths(comm.size())) {
      for (const model::Strand strand : {model::Strand::BOTH, model::Strand::FWD}) {
        INFO(name << ", " << L << " tokens, strand " << (strand == model::Strand::BOTH ? "both" : "fwd") << ", rank "
                  << comm.rank() << " of " << comm.size());
        const std::vector<int32_t> ids = random_ids(L, 23);
        const parallel::Shard shard = parallel::shard_of(L, comm.rank(), comm.size());
        model::StrandRequest r;
        r.strand = strand, r.want_logits = true;
        const model::StrandResult full = model::run_with_strand(m, ids, r);
        r.comm = &comm;
        const std::vector<int32_t> local(ids.begin() + shard.begin, ids.begin() + shard.end);
        const model::StrandResult part = model::run_with_strand(m, local, r);
        check_rows(part.hidden, full.hidden, shard, "hidden");
        check_rows(part.logits, full.logits, shard, "logits");
      }
    }
  }
}

TEST_CASE("ranks: a batch of sequences, each rank holding its shard of every one", "[parallel]") {
  parallel::Communicator& comm = world();
  const model::Caduceus m = model::Caduceus::load(test::model_dir("ps_odd"));
  const int64_t batch = 3, L = 257;
  const std::vector<int32_t> ids = random_ids(batch * L, 29);
  const parallel::Shard shard = parallel::shard_of(L, comm.rank(), comm.size());
  model::ForwardOptions o;
  o.want_logits = true;
  const std::vector<model::ForwardResult> full = m.forward_batch(ids, batch, o);
  std::vector<int32_t> local;
  for (int64_t b = 0; b < batch; ++b) local.insert(local.end(), ids.begin() + b * L + shard.begin, ids.begin() + b * L + shard.end);
  o.comm = &comm;
  const std::vector<model::ForwardResult> part = m.forward_batch(local, batch, o);
  CHECK(part.size() == full.size());
  for (size_t b = 0; b < std::min(part.size(), full.size()); ++b) {
    INFO("sequence " << b << ", rank " << comm.rank());
    check_rows(part[b].final_hidden, full[b].final_hidden, shard, "last_hidden_state");
    check_rows(part[b].logits, full[b].logits, shard, "logits");
  }
}
