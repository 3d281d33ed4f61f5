// merge_embeddings(): the N shard files of one job -> the file an unsharded run writes. Shard i of N
// holds windows i, i + N, i + 2N, … of the job (the interleaved partition of --shard i/N).
#include <algorithm>
#include <map>
#include <memory>
#include <vector>

#include "core/error.h"
#include "output/embeddings_job.h"
#include "output/embeddings_job_manifest.h"
#include "output/embeddings_reader.h"

namespace genomamba::output {

namespace fs = std::filesystem;

namespace {

// Reading is done in groups of windows, bounded in windows and in /positions/* rows, so that memory stays
// bounded for long windows and HDF5 decompresses each chunk about once for short ones.
constexpr int64_t kMaxGroupWindows = 4096;
constexpr int64_t kMaxGroupRows = 1 << 16;

struct Shard {
  std::unique_ptr<EmbeddingsReader> reader;
  std::string signature;
  std::string model_sha256;
  int64_t index = 0;
  int64_t count = 0;
  int64_t n_windows_total = 0;
  std::string name() const { return reader->path().string(); }
};

// Hands out one shard's windows in order, reading them group by group.
class ShardCursor {
 public:
  explicit ShardCursor(const Shard& shard) : shard_(shard), lengths_(shard.reader->window_lengths()) {}

  // Appends the shard's next window to `writer`.
  void append_next(EmbeddingsWriter& writer, const EmbeddingsLayout& layout) {
    if (in_group_ == group_.size()) read_group();
    append_window_from(writer, layout, group_, in_group_, row_);
    row_ += group_.end[static_cast<size_t>(in_group_)] - group_.start[static_cast<size_t>(in_group_)];
    ++in_group_;
  }

 private:
  void read_group() {
    int64_t count = 0, rows = 0;
    const auto n = static_cast<int64_t>(lengths_.size());
    while (next_ + count < n && count < kMaxGroupWindows &&
           (count == 0 || rows + lengths_[static_cast<size_t>(next_ + count)] <= kMaxGroupRows)) {
      rows += lengths_[static_cast<size_t>(next_ + count)];
      ++count;
    }
    GM_CHECK(count > 0, "merge must not read past the end of a shard");
    group_ = shard_.reader->read_windows(next_, count);
    next_ += count;
    in_group_ = 0;
    row_ = 0;
  }

  const Shard& shard_;
  std::vector<int64_t> lengths_;
  WindowBatch group_;
  int64_t next_ = 0;      // next window of the file not yet read
  int64_t in_group_ = 0;  // next window of group_ to hand out
  int64_t row_ = 0;       // its first row in group_.per_position / logits
};

Shard open_shard(const fs::path& path) {
  Shard s;
  s.reader = std::make_unique<EmbeddingsReader>(path);
  const EmbeddingsReader& r = *s.reader;
  if (!r.complete()) {
    throw InputError(path.string() + ": the file is incomplete (complete = 0); finish or --resume that run first");
  }
  for (const char* name : {"job_signature", "shard"}) {
    if (!r.has_attribute(name)) {
      throw InputError(path.string() + ": not the output of a genomamba embed job (no '" + name + "' attribute)");
    }
  }
  s.signature = r.string_attribute("job_signature");
  s.model_sha256 = r.has_attribute("model_sha256") ? r.string_attribute("model_sha256") : "";
  s.n_windows_total = r.int_attribute("n_windows_total");
  const std::string shard = r.string_attribute("shard");
  if (!detail::parse_shard_text(shard, s.index, s.count)) {
    throw InputError(path.string() + ": malformed 'shard' attribute; got '" + shard + "'");
  }
  return s;
}

// Every refusal of merge_embeddings(), before anything is written.
void check_shards(const std::vector<Shard>& shards) {
  const Shard& first = shards.front();
  for (const Shard& s : shards) {
    const std::string pair = first.name() + " and " + s.name();
    if (s.model_sha256 != first.model_sha256) throw InputError(pair + " were made with different models");
    if (s.signature != first.signature) {
      throw InputError(pair + " come from different jobs (their job_signature attributes differ)");
    }
    if (!detail::same_layout(s.reader->layout(), first.reader->layout())) {
      throw InputError(pair + " have different layouts");
    }
    if (s.count != first.count) {
      throw InputError(pair + " split the job differently (shard " + detail::shard_text(first.index, first.count) +
                       " vs " + detail::shard_text(s.index, s.count) + ")");
    }
    if (s.n_windows_total != first.n_windows_total) {
      throw InputError(pair + " disagree on n_windows_total (" + std::to_string(first.n_windows_total) + " vs " +
                       std::to_string(s.n_windows_total) + ")");
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
  const int64_t total = first.n_windows_total, n = first.count;
  for (const Shard& s : shards) {
    const int64_t expected = s.index < total ? (total - s.index + n - 1) / n : 0;
    if (s.reader->n_windows() != expected) {
      throw InputError(s.name() + ": shard " + detail::shard_text(s.index, n) + " has " +
                       std::to_string(s.reader->n_windows()) + " windows, but a job of " + std::to_string(total) +
                       " windows gives it " + std::to_string(expected));
    }
  }
}

}  // namespace

void merge_embeddings(const std::vector<fs::path>& paths, const fs::path& output, const std::string& command_line) {
  if (paths.empty()) throw InputError("no shard files to merge");
  std::error_code ec;
  for (const fs::path& path : paths) {
    if (fs::equivalent(path, output, ec)) {
      throw ConfigError(output.string() + ": the output (-o) is also one of the shard files");
    }
  }
  std::vector<Shard> shards;
  for (const fs::path& path : paths) shards.push_back(open_shard(path));
  check_shards(shards);
  std::sort(shards.begin(), shards.end(), [](const Shard& a, const Shard& b) { return a.index < b.index; });

  const Shard& first = shards.front();
  const EmbeddingsLayout layout = first.reader->layout();
  RootAttributes attrs = first.reader->root_attributes();
  attrs.command_line = command_line;
  attrs.created = iso8601_utc_now();
  attrs.extra["shard"] = detail::shard_text(0, 1);
  attrs.extra_ints["n_windows_total"] = first.n_windows_total;

  // Killed or failing in here, the writer leaves at most OUT.partial, never OUT.
  EmbeddingsWriter writer(output, layout, attrs);
  std::vector<ShardCursor> cursors;
  cursors.reserve(shards.size());
  for (const Shard& s : shards) cursors.emplace_back(s);
  const auto n = static_cast<int64_t>(shards.size());
  for (int64_t global = 0; global < first.n_windows_total; ++global) {
    cursors[static_cast<size_t>(global % n)].append_next(writer, layout);
  }
  writer.finish();
}

}  // namespace genomamba::output
