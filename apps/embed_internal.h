#pragma once
// Internal to `genomamba embed` (apps/embed*.cpp): the option checks, the input, the window reader and the
// read -> compute -> write pipeline. Not a public API.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "io/sequence_source.h"
#include "model/strand.h"
#include "output/embeddings_format.h"
#include "output/job.h"
#include "output/root_attributes.h"
#include "tokenize/window_plan.h"

namespace CLI {
class Validator;
}  // namespace CLI

namespace genomamba::core {
class ProgressMeter;
}  // namespace genomamba::core

namespace genomamba::apps::embed {

// ---- options (embed_options.cpp) ----

/// -F: a decimal or 0x-hex number, or comma-separated SAM flag names (samtools: UNMAP,SECONDARY,...);
/// rewritten to decimal for CLI11.
CLI::Validator sam_flags();

/// The options checked and completed before any I/O: shard parsed, stride defaulted to the window, flag
/// combinations and paths that need no reading. @throws ConfigError naming the flag.
EmbedOptions resolve_options(const EmbedOptions& options);

/// The input spec: -i, the -r regions, then the -R BED regions (reads the BED file), -f, -F, --min-mapq, -@.
/// @throws ConfigError for a bad -r; InputError for a bad BED file (file:line).
io::InputSpec input_spec(const EmbedOptions& o);

/// The canonical string of every option that changes the results (design §7, output::JobIdentity).
std::string job_signature(const EmbedOptions& o, const std::string& model_sha256);

/// Root attributes of the output (design §8): window and stride as used.
output::RootAttributes root_attributes(const EmbedOptions& o, const std::string& model_sha256,
                                       const std::string& model_config, const std::string& model_kind);

// ---- the input (embed_input.cpp) ----

/// True for FASTA/FASTQ input, false for SAM/BAM/CRAM reads. Files are recognised by content; standard
/// input by whether it has SAM header contigs.
bool is_sequence_input(const io::InputSpec& spec, const io::SequenceSource& source);

/// Refuses the read options (-F, --min-mapq, -f) for FASTA/FASTQ input, where they would do nothing.
/// @throws ConfigError naming the option and the input (exit 1: the input's content decides).
void check_read_options(const EmbedOptions& o, bool sequence_input);

/// Bases of the whole input when known before reading it (for the ETA): the regions of an indexed
/// FASTA, or a FASTA's .fai when it is next to the file and not older; -1 otherwise (reads, stdin).
int64_t known_total_bases(const io::InputSpec& spec, const io::SequenceSource& source, bool sequences);

/// @throws InputError "<path>: record <n> ('<name>') has no sequence" for an empty record.
void check_record_not_empty(const std::string& path, const io::SequenceRecord& record);

// ---- windows (embed_reader.cpp) ----

/// One window to compute: its place in the output and its token ids.
struct WindowTask {
  std::string name;
  int64_t record = 0;  ///< 0-based number of the record among those embedded, in input order
  int64_t start = 0;  ///< record coordinates (the record's offset added), 0-based
  int64_t end = 0;    ///< exclusive
  std::vector<int32_t> ids;
};

/// Up to --batch windows of this shard, with how far through the input they reach (for progress).
struct WorkBatch {
  std::vector<WindowTask> windows;
  int64_t records = 0;     ///< records read up to the last window
  int64_t bases_done = 0;  ///< input position after the last window, in bases of the whole input
  int64_t bases_resumed = 0;  ///< input position where --resume's skip ended (0 without)
};

/// Where this job's windows are: its shard of the global window list, minus what --resume skips.
struct ShardSelection {
  int64_t index = 0;  ///< i of --shard i/N
  int64_t count = 1;  ///< N
  int64_t skip = 0;   ///< windows of this shard already committed (--resume): not tokenized, not computed
};

/// Reads records, tiles them into windows (tokenize::WindowPlan), numbers the windows globally over the
/// whole input in input order, keeps those of the shard (global index g with g % N == i) and tokenizes
/// them. Checks records: empty records, and duplicate regions (the same span asked for twice). Records are
/// keyed by their number (/windows/record), so names may repeat: mates of a pair, interleaved FASTQ.
class WindowReader {
 public:
  /// @param first the input's first record, already read (so that "no records" is found before any output)
  /// @param regions records are regions: a region given twice is refused (named by its span)
  WindowReader(std::unique_ptr<io::SequenceSource> source, io::SequenceRecord first, const tokenize::WindowPlan& plan,
               const ShardSelection& shard, int64_t batch_size, bool regions);

  /// Fills `batch` with the next windows of this shard (at most batch_size).
  /// @return false when the input holds no more windows of this shard (the input has then been read to its end).
  bool next_batch(WorkBatch& batch);

  int64_t n_windows_total() const { return n_global_; }    ///< windows of the whole input seen so far
  int64_t n_shard_windows() const { return n_shard_; }     ///< windows of this shard seen so far
  int64_t n_records() const { return n_records_; }
  int64_t n_bases() const { return bases_before_ + (have_record_ ? length() : 0); }
  int64_t bases_resumed() const { return bases_resumed_; }  ///< input position where --resume's skip ended

 private:
  bool advance_record();
  void check_duplicate(const io::SequenceRecord& record);
  int64_t length() const { return static_cast<int64_t>(record_.sequence.size()); }

  std::unique_ptr<io::SequenceSource> source_;
  io::SequenceRecord record_;
  bool pending_first_ = true;
  bool have_record_ = false;
  tokenize::WindowPlan plan_;
  ShardSelection shard_;
  int64_t batch_size_;
  bool regions_;
  int64_t n_in_record_ = 0;  // windows of the current record
  int64_t next_in_record_ = 0;
  int64_t n_global_ = 0;
  int64_t n_shard_ = 0;
  int64_t n_records_ = 0;
  int64_t bases_before_ = 0;  // bases of the records before the current one
  int64_t bases_resumed_ = 0;
  std::unordered_map<uint64_t, int64_t> first_seen_;  // hash of (name, offset) -> 1-based record number
};

// ---- the pipeline (embed_pipeline.cpp) ----

/// What the compute stage needs.
struct ComputeSettings {
  model::StrandRequest request;
  int64_t width = 0;  ///< D of the outputs
  bool pool = true;   ///< --pool mean
  bool per_position = false;
  bool logits = false;
};

/// Runs the windows of one batch through the model: pooled means, per-position rows and logits. With ranks
/// (settings.request.comm), every rank computes its shard of each window; the pooled means are summed over the
/// ranks, and the per-position rows and logits gathered on rank 0 (the other ranks' batch holds none).
output::WindowBatch compute_batch(const WorkBatch& work, const model::Caduceus& model, const ComputeSettings& settings);

struct PipelineTotals {
  int64_t windows = 0;  ///< windows computed and committed by this run
  int64_t tokens = 0;   ///< tokens computed by this run
};

/// read (a thread: `reader`) -> compute (this thread: the model, OpenMP inside) -> write (a thread:
/// job.commit), joined by bounded queues of two batches each. The first exception of any stage stops all
/// three and is rethrown here.
/// @param windows_before windows committed by earlier runs (--resume), for the progress display
/// @param job where batches are committed; null on the ranks other than 0 of a ranked run (they compute their
///   shards and commit nothing)
PipelineTotals run_pipeline(WindowReader& reader, const model::Caduceus& model, const ComputeSettings& settings,
                            output::Job* job, core::ProgressMeter& progress, int64_t windows_before);

}  // namespace genomamba::apps::embed
