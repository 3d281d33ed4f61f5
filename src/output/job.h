#pragma once
/// A resumable, shardable job on disk (design §7): the one piece of bookkeeping that `embed`, `score` and
/// `ism` share. What the job writes is a JobFormat (output/job_format.h); its rows are windows, VCF records
/// or positions.
///
/// Batches of finished rows are committed one file at a time into "<OUT>.partial.d/": each batch is an HDF5
/// file of the format, written to a temporary name and renamed, so a process killed at any moment (SIGKILL
/// included) leaves only whole batches behind. finish() assembles the batches, in order, into the final
/// output through the format's create_output() (HDF5, or VCF/TSV for `score`), then removes the batch
/// folder. With resume, the job reopens an existing batch folder, checks that it belongs to the same job,
/// and reports how many rows are already done so the caller skips them. merge_job_files() turns the N
/// shard files of one job into the file an unsharded run gives.
///
/// Faults (docs/reliability.md): while a Job exists SIGINT and SIGTERM are caught (core::InterruptScope);
/// the pipeline stops between batches and the caller reports interrupted(). A Job destroyed unfinished keeps
/// the committed batches for --resume and removes everything else it made (the lock file, a half-written
/// batch, and the whole private folder of a run writing to standard output, which cannot be resumed).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/interrupt.h"
#include "output/job_format.h"
#include "output/root_attributes.h"

namespace genomamba::output {

/// What makes two runs the same job: equal `signature` (every option that changes the results, the input
/// paths and the model sha256, in canonical form; NOT -o, --shard, --resume, -@, --progress, -q), format
/// and layout.
struct JobIdentity {
  std::string signature;
  int64_t shard_index = 0;  ///< --shard i/N: i (0-based)
  int64_t shard_count = 1;  ///< N
};

class Job {
 public:
  /// Starts the job writing to `output`, or with `resume` continues it.
  /// Without resume, an existing "<output>.partial.d/" is an error telling the user to pass --resume
  /// (or remove it). With resume and no batch folder, the job starts from zero. With resume and a folder of
  /// a different job (signature, shard, format, layout): ConfigError saying which differs.
  /// "<output>.lock" is held for the job's lifetime: a second process on the same output is refused.
  Job(const std::filesystem::path& output, std::shared_ptr<const JobFormat> format, const RootAttributes& attrs,
      const JobIdentity& identity, bool resume);
  ~Job();
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

  /// Rows already committed by an earlier run (0 for a new job). The caller skips that many rows.
  /// When already_complete(), this is every row of the job (this shard's).
  int64_t n_committed() const;

  /// With resume: OUT already holds this job's complete result (an HDF5 output of the same job). The
  /// caller may stop here; finish() only removes what is left of the batch folder and leaves OUT as it is.
  bool already_complete() const;

  /// "<output>.partial.d": where the batches of a job writing `output` live.
  static std::filesystem::path batch_folder(const std::filesystem::path& output);

  /// Writes one batch durably (temporary file + fsync + rename). On failure (a full disk, say) the
  /// half-written batch is removed and the committed ones stay resumable.
  void commit(const RowBatch& batch);

  /// The error to report when SIGINT/SIGTERM stopped the run (`e` from the pipeline or finish()): how many
  /// `unit`s ("windows", "records", "positions") are done and how to continue.
  core::Interrupted interrupted(const core::Interrupted& e, const std::string& unit) const;

  /// Gives the job up: removes the batch folder, any OUT.partial and the lock file, while still holding the
  /// lock (for a new job whose input turned out to be bad: --resume could not use what it left).
  void discard();

  /// Assembles OUT from the committed batches, records `n_rows_total` (rows of the whole unsharded job;
  /// merge checks completeness with it) and the shard in the root attributes, puts OUT in place and
  /// removes the batch folder. The extra root attributes are `job_signature` (string), `shard` ("i/N")
  /// and `n_rows_total` (int64). @throws core::Interrupted when a signal arrives while OUT is assembled
  /// (OUT is then not written and the batches stay).
  void finish(int64_t n_rows_total);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Merges the shard files (HDF5) of one job into `output` through `format` (whose create_output() picks
/// the output type), equal to an unsharded run's output (row k of shard i is row k * N + i of the job).
/// Refuses, naming the files: files of different jobs (signature or model), layouts or formats, a missing
/// or duplicated shard, shards of different N, incomplete files, or row counts that do not add up to
/// n_rows_total.
void merge_job_files(const JobFormat& format, const std::vector<std::filesystem::path>& shards,
                     const std::filesystem::path& output, const std::string& command_line);

}  // namespace genomamba::output
