// `genomamba embed`, the pipeline (design §1): read -> compute -> write with bounded queues, so memory is
// bounded by the batch and the window, never by the input.
#include <algorithm>
#include <utility>
#include <vector>

#include "core/pipeline.h"
#include "core/error.h"
#include "core/log.h"
#include "core/progress.h"
#include "embed_internal.h"
#include "model/caduceus.h"
#include "parallel/communicator.h"

namespace genomamba::apps::embed {

namespace {

// Mean over the rows of `m` into `out` ([cols]), accumulated in double.
void mean_rows(const core::Matrix& m, float* out) {
  std::vector<double> sum(static_cast<size_t>(m.cols()), 0.0);
  for (int64_t r = 0; r < m.rows(); ++r) {
    const float* row = m.row(r);
    for (int64_t c = 0; c < m.cols(); ++c) sum[static_cast<size_t>(c)] += row[c];
  }
  for (size_t c = 0; c < sum.size(); ++c) out[c] = static_cast<float>(sum[c] / static_cast<double>(m.rows()));
}

// Copies the rows of `from` into `to` starting at row `first`.
void copy_rows(const core::Matrix& from, core::Matrix& to, int64_t first) {
  GM_CHECK(from.cols() == to.cols() && first + from.rows() <= to.rows(), "rows must fit the batch matrix");
  std::copy(from.data(), from.data() + from.size(), to.row(first));
}

// The ranks' shards of a run of windows of `length` tokens (results: this rank's rows of each) into the batch
// from window `first_window` and per-position row `first_row`: the pooled means from the row sums of every
// rank, the per-position rows and logits gathered on rank 0 in rank order (the shards' order).
void ranked_results(const std::vector<model::StrandResult>& results, int64_t length, parallel::Communicator& comm,
                    const ComputeSettings& settings, output::WindowBatch& out, int64_t first_window,
                    int64_t first_row) {
  const int64_t width = settings.width, n = static_cast<int64_t>(results.size());
  if (settings.pool) {
    std::vector<double> sums(static_cast<size_t>(n * width), 0.0);  // [windows, width]
    for (int64_t w = 0; w < n; ++w) {
      const core::Matrix& h = results[static_cast<size_t>(w)].hidden;
      for (int64_t r = 0; r < h.rows(); ++r)
        for (int64_t c = 0; c < width; ++c) sums[static_cast<size_t>(w * width + c)] += h.at(r, c);
    }
    comm.all_reduce_sum(sums);
    for (int64_t w = 0; w < n; ++w)
      for (int64_t c = 0; c < width; ++c)
        out.pooled.at(first_window + w, c) = static_cast<float>(sums[static_cast<size_t>(w * width + c)] / length);
  }
  const bool root = comm.rank() == 0;
  for (int64_t w = 0; w < n; ++w) {
    const model::StrandResult& result = results[static_cast<size_t>(w)];
    const int64_t row = first_row + w * length;
    if (settings.per_position) {
      comm.gather_to_root(result.hidden.span(),
                          root ? std::span<float>(out.per_position.row(row), static_cast<size_t>(length * width))
                               : std::span<float>());
    }
    if (settings.logits) {
      comm.gather_to_root(result.logits.span(),
                          root ? std::span<float>(out.logits.row(row), static_cast<size_t>(length * 4))
                               : std::span<float>());
    }
  }
}

// A computed batch and how far it reaches, for the writer's progress display.
struct DoneBatch {
  output::WindowBatch batch;
  int64_t records = 0;
  int64_t bases_done = 0;
  int64_t bases_resumed = 0;
  int64_t tokens = 0;
};

}  // namespace

output::WindowBatch compute_batch(const WorkBatch& work, const model::Caduceus& model, const ComputeSettings& settings) {
  const auto n = static_cast<int64_t>(work.windows.size());
  int64_t n_positions = 0;
  for (const WindowTask& task : work.windows) n_positions += static_cast<int64_t>(task.ids.size());

  // With ranks, each holds the same shard of every window (parallel::shard_of); rank 0 alone keeps the rows.
  parallel::Communicator* comm = settings.request.comm;
  const bool keep_rows = comm == nullptr || comm->rank() == 0;
  output::WindowBatch out;
  if (settings.pool) out.pooled = core::Matrix(n, settings.width);
  if (settings.per_position && keep_rows) out.per_position = core::Matrix(n_positions, settings.width);
  if (settings.logits && keep_rows) out.logits = core::Matrix(n_positions, 4);
  int64_t row = 0;
  // Runs of consecutive windows of equal length go through the model together (a record's short last window
  // has a length of its own, so no window is ever padded); each window's result is the one it gets alone.
  for (int64_t first = 0; first < n;) {
    const auto length = static_cast<int64_t>(work.windows[static_cast<size_t>(first)].ids.size());
    int64_t last = first + 1;
    while (last < n && static_cast<int64_t>(work.windows[static_cast<size_t>(last)].ids.size()) == length) ++last;
    const parallel::Shard shard = comm ? parallel::shard_of(length, comm->rank(), comm->size()) : parallel::Shard{0, length};
    std::vector<int32_t> ids;
    ids.reserve(static_cast<size_t>((last - first) * shard.size()));
    for (int64_t w = first; w < last; ++w) {
      const std::vector<int32_t>& window = work.windows[static_cast<size_t>(w)].ids;
      ids.insert(ids.end(), window.begin() + shard.begin, window.begin() + shard.end);
    }
    const std::vector<model::StrandResult> results =
        model::run_with_strand_batch(model, ids, last - first, settings.request);
    if (comm) {
      ranked_results(results, length, *comm, settings, out, first, row);
      row += (last - first) * length;
    }
    for (int64_t w = first; w < last; ++w) {
      const WindowTask& task = work.windows[static_cast<size_t>(w)];
      if (!comm) {
        const model::StrandResult& result = results[static_cast<size_t>(w - first)];
        GM_CHECK(result.hidden.rows() == length && result.hidden.cols() == settings.width,
                 "run_with_strand hidden must have shape [L, width]");
        if (settings.pool) mean_rows(result.hidden, out.pooled.row(w));
        if (settings.per_position) copy_rows(result.hidden, out.per_position, row);
        if (settings.logits) copy_rows(result.logits, out.logits, row);
        row += length;
      }
      out.name.push_back(task.name);
      out.record.push_back(task.record);
      out.start.push_back(task.start);
      out.end.push_back(task.end);
    }
    first = last;
  }
  return out;
}

PipelineTotals run_pipeline(WindowReader& reader, const model::Caduceus& model, const ComputeSettings& settings,
                            output::Job* job, core::ProgressMeter& progress, int64_t windows_before) {
  PipelineTotals totals;  // written by the writer thread only, read after the pipeline returns
  core::ProgressCounts counts;
  counts.windows = windows_before;
  core::run_pipeline_stages<WorkBatch, DoneBatch>(
      [&](WorkBatch& batch) { return reader.next_batch(batch); },
      [&](WorkBatch&& work) {
        DoneBatch done{compute_batch(work, model, settings), work.records, work.bases_done, work.bases_resumed, 0};
        for (const WindowTask& task : work.windows) done.tokens += static_cast<int64_t>(task.ids.size());
        return done;
      },
      [&](DoneBatch&& done) {
        if (job) job->commit(done.batch);
        totals.windows += done.batch.size();
        totals.tokens += done.tokens;
        counts.records = done.records;
        counts.windows += done.batch.size();
        counts.tokens = totals.tokens;
        counts.bases_done = done.bases_done;
        counts.bases_resumed = done.bases_resumed;
        progress.update(counts);
      });
  return totals;
}

}  // namespace genomamba::apps::embed
