// merge_job_files(): the N shard files of one job -> the output an unsharded run writes. Shard i of N
// holds rows i, i + N, i + 2N, … of the job (the interleaved partition of --shard i/N).
#include <algorithm>
#include <map>
#include <memory>
#include <vector>

#include "core/error.h"
#include "core/interrupt.h"
#include "output/job.h"
#include "output/job_manifest.h"

namespace genomamba::output {

namespace fs = std::filesystem;

namespace {

// Reading is done in groups of rows, bounded in rows and in total row weight (positions of a window), so
// that memory stays bounded for long windows and HDF5 decompresses each chunk about once for short rows.
constexpr int64_t kMaxGroupRows = 4096;
constexpr int64_t kMaxGroupWeight = 1 << 16;

struct Shard {
  std::unique_ptr<RowReader> reader;
  std::string signature;
  std::string model_sha256;
  int64_t index = 0;
  int64_t count = 0;
  int64_t n_rows_total = 0;
  std::string name() const { return reader->path().string(); }
};

// Hands out one shard's rows in order, reading them group by group.
class ShardCursor {
 public:
  explicit ShardCursor(const Shard& shard) : shard_(shard), weights_(shard.reader->row_weights()) {}

  // Appends the shard's next row to `writer`.
  void append_next(RowWriter& writer) {
    if (!group_ || in_group_ == group_->size()) read_group();
    writer.append(*group_, in_group_, 1);
    ++in_group_;
  }

 private:
  void read_group() {
    int64_t count = 0, weight = 0;
    const auto n = static_cast<int64_t>(weights_.size());
    while (next_ + count < n && count < kMaxGroupRows &&
           (count == 0 || weight + weights_[static_cast<size_t>(next_ + count)] <= kMaxGroupWeight)) {
      weight += weights_[static_cast<size_t>(next_ + count)];
      ++count;
    }
    GM_CHECK(count > 0, "merge must not read past the end of a shard");
    group_ = shard_.reader->read(next_, count);
    next_ += count;
    in_group_ = 0;
  }

  const Shard& shard_;
  std::vector<int64_t> weights_;
  std::unique_ptr<RowBatch> group_;
  int64_t next_ = 0;      // next row of the file not yet read
  int64_t in_group_ = 0;  // next row of group_ to hand out
};

Shard open_shard(const JobFormat& format, const fs::path& path) {
  Shard s;
  s.reader = format.open_h5(path);
  const RowReader& r = *s.reader;
  if (!r.complete()) {
    throw InputError(path.string() + ": the file is incomplete (complete = 0); finish or --resume that run first");
  }
  for (const char* name : {"job_signature", "shard", "n_rows_total"}) {
    if (!r.has_attribute(name)) {
      throw InputError(path.string() + ": not the output of a genomamba job (no '" + name + "' attribute)");
    }
  }
  s.signature = r.string_attribute("job_signature");
  s.model_sha256 = r.has_attribute("model_sha256") ? r.string_attribute("model_sha256") : "";
  s.n_rows_total = r.int_attribute("n_rows_total");
  const std::string shard = r.string_attribute("shard");
  if (!detail::parse_shard_text(shard, s.index, s.count)) {
    throw InputError(path.string() + ": malformed 'shard' attribute; got '" + shard + "'");
  }
  return s;
}

// Every refusal of merge_job_files(), before anything is written.
void check_shards(const std::vector<Shard>& shards) {
  const Shard& first = shards.front();
  for (const Shard& s : shards) {
    const std::string pair = first.name() + " and " + s.name();
    if (s.model_sha256 != first.model_sha256) throw InputError(pair + " were made with different models");
    if (detail::content_signature(s.signature) != detail::content_signature(first.signature)) {
      throw InputError(pair + " come from different jobs (their job_signature attributes differ: " +
                       detail::describe_signature_difference(first.signature, s.signature, "in " + first.name(),
                                                                           "in " + s.name()) + ")");
    }
    if (s.reader->layout_key() != first.reader->layout_key()) {
      throw InputError(pair + " have different layouts (" + first.reader->layout_key() + " vs " +
                       s.reader->layout_key() + ")");
    }
    if (s.count != first.count) {
      throw InputError(pair + " split the job differently (shard " + detail::shard_text(first.index, first.count) +
                       " vs " + detail::shard_text(s.index, s.count) + ")");
    }
    if (s.n_rows_total != first.n_rows_total) {
      throw InputError(pair + " disagree on n_rows_total (" + std::to_string(first.n_rows_total) + " vs " +
                       std::to_string(s.n_rows_total) + ")");
    }
  }
  std::map<int64_t, const Shard*> by_index;
  for (const Shard& s : shards) {
    const auto [it, inserted] = by_index.emplace(s.index, &s);
    if (!inserted) {
      throw InputError(it->second->name() + " and " + s.name() + " are both shard " +
                       detail::shard_text(s.index, s.count));
    }
  }
  for (int64_t i = 0; i < first.count; ++i) {
    if (!by_index.count(i)) {
      throw InputError("shard " + detail::shard_text(i, first.count) + " is missing (" +
                       std::to_string(shards.size()) + " of " + std::to_string(first.count) + " shard files given)");
    }
  }
  const int64_t total = first.n_rows_total, n = first.count;
  for (const Shard& s : shards) {
    const int64_t expected = s.index < total ? (total - s.index + n - 1) / n : 0;
    if (s.reader->n_rows() != expected) {
      throw InputError(s.name() + ": shard " + detail::shard_text(s.index, n) + " has " +
                       std::to_string(s.reader->n_rows()) + " rows, but a job of " + std::to_string(total) +
                       " rows gives it " + std::to_string(expected));
    }
  }
}

}  // namespace

void merge_job_files(const JobFormat& format, const std::vector<fs::path>& paths, const fs::path& output,
                     const std::string& command_line) {
  if (paths.empty()) throw InputError("no shard files to merge");
  std::error_code ec;
  for (const fs::path& path : paths) {
    if (fs::equivalent(path, output, ec)) {
      throw ConfigError(output.string() + ": the output (-o) is also one of the shard files");
    }
  }
  std::vector<Shard> shards;
  for (const fs::path& path : paths) shards.push_back(open_shard(format, path));
  check_shards(shards);
  std::sort(shards.begin(), shards.end(), [](const Shard& a, const Shard& b) { return a.index < b.index; });

  const Shard& first = shards.front();
  GM_CHECK(first.reader->layout_key() == format.layout_key(), "merge's format must have the shards' layout");
  RootAttributes attrs = first.reader->root_attributes();
  attrs.command_line = command_line;
  attrs.created = iso8601_utc_now();
  attrs.extra["shard"] = detail::shard_text(0, 1);
  attrs.extra_ints["n_rows_total"] = first.n_rows_total;

  // Killed or failing in here, the writer leaves at most OUT.partial, never OUT. SIGINT/SIGTERM stop the
  // merge between rows, and the writer then removes OUT.partial too.
  const core::InterruptScope interrupts;
  const std::unique_ptr<RowWriter> writer = format.create_output(output, attrs);
  std::vector<ShardCursor> cursors;
  cursors.reserve(shards.size());
  for (const Shard& s : shards) cursors.emplace_back(s);
  const auto n = static_cast<int64_t>(shards.size());
  for (int64_t global = 0; global < first.n_rows_total; ++global) {
    if (const int signal = core::interrupt_signal(); signal != 0) {
      throw core::Interrupted(signal, "interrupted by " + core::signal_name(signal) + "; " + output.string() +
                                          " was not written (run the merge again)");
    }
    cursors[static_cast<size_t>(global % n)].append_next(*writer);
  }
  writer->finish();
}

}  // namespace genomamba::output
