#pragma once
/// A resumable, shardable embeddings job on disk (design §7, issue 3).
///
/// Batches of finished windows are committed one file at a time into "<OUT>.partial.d/": each batch is
/// written to a temporary name and renamed, so a process killed at any moment (SIGKILL included) leaves
/// only whole batches behind. finish() assembles the batches, in order, into "<OUT>.partial" (the design §8
/// embeddings layout, complete = 1) and renames it to OUT, then removes the batch folder. With resume, the
/// job reopens an existing batch folder, checks that it belongs to the same job, and reports how many
/// windows are already done so the caller skips them. merge_embeddings() turns the N shard files of one job
/// into the file an unsharded run gives, through the same assembly code.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/matrix.h"
#include "output/embeddings_writer.h"
#include "output/root_attributes.h"

namespace genomamba::output {

/// What makes two runs the same job: equal `signature` (every option that changes the results, the input
/// paths and the model sha256, in canonical form; NOT -o, --shard, --resume, -@, --progress, -q) and format.
struct JobIdentity {
  std::string signature;
  int64_t shard_index = 0;  ///< --shard i/N: i (0-based)
  int64_t shard_count = 1;  ///< N
};

/// Finished windows, in this job's window order. Positions of window k are rows
/// [sum(n_positions[0..k)), +n_positions[k]) of per_position / logits.
struct WindowBatch {
  std::vector<std::string> name;
  std::vector<int64_t> start;
  std::vector<int64_t> end;
  core::Matrix pooled;        ///< [B, D]; empty with --pool none
  core::Matrix per_position;  ///< [P, D]; empty unless the layout asks for it
  core::Matrix logits;        ///< [P, 4]; empty unless the layout asks for it
  int64_t size() const { return static_cast<int64_t>(name.size()); }
};

class EmbeddingsJob {
 public:
  /// Starts the job writing to `output`, or with `resume` continues it.
  /// Without resume, an existing "<output>.partial.d/" is an error telling the user to pass --resume
  /// (or remove it). With resume and no batch folder, the job starts from zero. With resume and a folder of
  /// a different job (signature, shard, layout): ConfigError saying which differs.
  EmbeddingsJob(const std::filesystem::path& output, const EmbeddingsLayout& layout, const RootAttributes& attrs,
                const JobIdentity& identity, bool resume);
  ~EmbeddingsJob();
  EmbeddingsJob(const EmbeddingsJob&) = delete;
  EmbeddingsJob& operator=(const EmbeddingsJob&) = delete;

  /// Windows already committed by an earlier run (0 for a new job). The caller skips that many windows.
  /// When already_complete(), this is every window of the job (this shard's), so skipping them and calling
  /// finish() is also correct.
  int64_t n_committed() const;

  /// With resume: OUT already holds this job's complete result (the earlier run finished, possibly killed
  /// while removing its batch folder). The caller may stop here ("already complete"); finish() only
  /// removes what is left of the batch folder and leaves OUT as it is.
  bool already_complete() const;

  /// "<output>.partial.d": where the batches of a job writing `output` live.
  static std::filesystem::path batch_folder(const std::filesystem::path& output);

  /// Writes one batch durably (temporary file + fsync + rename).
  void commit(const WindowBatch& batch);

  /// Gives the job up: removes the batch folder, any OUT.partial and the lock file, while still holding the
  /// lock (for a new job whose input turned out to be bad: --resume could not use what it left).
  void discard();

  /// Assembles OUT from the committed batches, records `n_windows_total` (windows of the whole unsharded
  /// job; used by merge to check completeness) and the shard in the root attributes, renames it into
  /// place and removes the batch folder. The extra root attributes are `job_signature` (string), `shard`
  /// ("i/N") and `n_windows_total` (int64).
  void finish(int64_t n_windows_total);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Merges the shard files of one job into `output`, equal dataset by dataset to an unsharded run (window
/// k of shard i is window k * N + i of the job). Refuses, naming the files: files of different jobs
/// (signature or model), a missing or duplicated shard, shards of different N, incomplete files, or window
/// counts that do not add up to n_windows_total.
void merge_embeddings(const std::vector<std::filesystem::path>& shards, const std::filesystem::path& output,
                      const std::string& command_line);

}  // namespace genomamba::output
