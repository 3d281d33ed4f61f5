// `genomamba embed`, the pipeline (design §1): read -> compute -> write with bounded queues, so memory is
// bounded by the batch and the window, never by the input.
#include <algorithm>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "core/bounded_queue.h"
#include "core/error.h"
#include "core/log.h"
#include "core/progress.h"
#include "embed_internal.h"
#include "model/caduceus.h"

namespace genomamba::apps::embed {

namespace {

// Batches each queue holds: enough to keep every stage busy, few enough to bound memory.
constexpr size_t kQueueBatches = 2;

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

// A computed batch and how far it reaches, for the writer's progress display.
struct DoneBatch {
  output::WindowBatch batch;
  int64_t records = 0;
  int64_t bases_done = 0;
  int64_t bases_resumed = 0;
  int64_t tokens = 0;
};

// The first exception of any stage; later ones (consequences of the teardown) are dropped.
class FirstError {
 public:
  void set(std::exception_ptr error) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!error_) error_ = std::move(error);
  }
  void rethrow_if_set() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr error_;
};

}  // namespace

output::WindowBatch compute_batch(const WorkBatch& work, const model::Caduceus& model, const ComputeSettings& settings) {
  const auto n = static_cast<int64_t>(work.windows.size());
  int64_t n_positions = 0;
  for (const WindowTask& task : work.windows) n_positions += static_cast<int64_t>(task.ids.size());

  output::WindowBatch out;
  if (settings.pool) out.pooled = core::Matrix(n, settings.width);
  if (settings.per_position) out.per_position = core::Matrix(n_positions, settings.width);
  if (settings.logits) out.logits = core::Matrix(n_positions, 4);
  int64_t row = 0;
  for (int64_t w = 0; w < n; ++w) {
    const WindowTask& task = work.windows[static_cast<size_t>(w)];
    const model::StrandResult result = model::run_with_strand(model, task.ids, settings.request);
    const auto length = static_cast<int64_t>(task.ids.size());
    GM_CHECK(result.hidden.rows() == length && result.hidden.cols() == settings.width,
             "run_with_strand hidden must have shape [L, width]");
    if (settings.pool) mean_rows(result.hidden, out.pooled.row(w));
    if (settings.per_position) copy_rows(result.hidden, out.per_position, row);
    if (settings.logits) copy_rows(result.logits, out.logits, row);
    row += length;
    out.name.push_back(task.name);
    out.start.push_back(task.start);
    out.end.push_back(task.end);
  }
  return out;
}

PipelineTotals run_pipeline(WindowReader& reader, const model::Caduceus& model, const ComputeSettings& settings,
                            output::EmbeddingsJob& job, core::ProgressMeter& progress, int64_t windows_before) {
  core::BoundedQueue<WorkBatch> to_compute(kQueueBatches);
  core::BoundedQueue<DoneBatch> to_write(kQueueBatches);
  FirstError error;
  const auto fail = [&](std::exception_ptr e) {
    error.set(std::move(e));
    to_compute.cancel();
    to_write.cancel();
  };
  PipelineTotals totals;  // written by the writer thread only, read after it is joined

  const auto read_stage = [&] {
    try {
      WorkBatch batch;
      while (reader.next_batch(batch)) {
        if (!to_compute.push(std::move(batch))) return;
        batch = WorkBatch{};
      }
      to_compute.close();
    } catch (...) {
      fail(std::current_exception());
    }
  };
  const auto write_stage = [&] {
    try {
      core::ProgressCounts counts;
      counts.windows = windows_before;
      while (std::optional<DoneBatch> done = to_write.pop()) {
        job.commit(done->batch);
        totals.windows += done->batch.size();
        totals.tokens += done->tokens;
        counts.records = done->records;
        counts.windows += done->batch.size();
        counts.tokens = totals.tokens;
        counts.bases_done = done->bases_done;
        counts.bases_resumed = done->bases_resumed;
        progress.update(counts);
      }
    } catch (...) {
      fail(std::current_exception());
    }
  };

  std::thread reader_thread;
  std::thread writer_thread;
  try {
    reader_thread = std::thread(read_stage);
    writer_thread = std::thread(write_stage);
    while (std::optional<WorkBatch> work = to_compute.pop()) {
      DoneBatch done{compute_batch(*work, model, settings), work->records, work->bases_done, work->bases_resumed, 0};
      for (const WindowTask& task : work->windows) done.tokens += static_cast<int64_t>(task.ids.size());
      work.reset();  // the token ids are no longer needed while the batch waits for the writer
      if (!to_write.push(std::move(done))) break;
    }
    to_write.close();
  } catch (...) {
    fail(std::current_exception());
  }
  if (reader_thread.joinable()) reader_thread.join();
  if (writer_thread.joinable()) writer_thread.join();
  error.rethrow_if_set();
  return totals;
}

}  // namespace genomamba::apps::embed
