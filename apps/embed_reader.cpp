// `genomamba embed`, the read stage: records -> windows of this shard -> token ids, in batches.
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.h"
#include "embed_internal.h"
#include "io/region.h"
#include "tokenize/dna_tokenizer.h"

namespace genomamba::apps::embed {

WindowReader::WindowReader(std::unique_ptr<io::SequenceSource> source, io::SequenceRecord first,
                           const tokenize::WindowPlan& plan, const ShardSelection& shard, int64_t batch_size,
                           bool regions)
    : source_(std::move(source)),
      record_(std::move(first)),
      plan_(plan),
      shard_(shard),
      batch_size_(batch_size),
      regions_(regions) {
  GM_CHECK(shard_.count >= 1 && shard_.index >= 0 && shard_.index < shard_.count, "shard must satisfy 0 <= i < N");
  GM_CHECK(batch_size_ >= 1, "batch_size must be at least 1");
}

bool WindowReader::next_batch(WorkBatch& batch) {
  batch.windows.clear();
  while (static_cast<int64_t>(batch.windows.size()) < batch_size_) {
    if (next_in_record_ == n_in_record_ && !advance_record()) break;
    const int64_t global = n_global_++;
    const int64_t k = next_in_record_++;
    if (global % shard_.count != shard_.index) continue;  // another shard's window
    const tokenize::WindowSpan span = plan_.at(length(), k);
    if (n_shard_++ < shard_.skip) {  // committed by an earlier run (--resume): no model work
      bases_resumed_ = bases_before_ + span.end;
      continue;
    }
    WindowTask task;
    task.name = record_.name;
    task.record = n_records_ - 1;
    task.start = record_.offset + span.begin;
    task.end = record_.offset + span.end;
    task.ids = tokenize::encode(std::string_view(record_.sequence).substr(static_cast<size_t>(span.begin),
                                                                           static_cast<size_t>(span.length())));
    batch.windows.push_back(std::move(task));
    batch.records = n_records_;
    batch.bases_done = bases_before_ + span.end;
    batch.bases_resumed = bases_resumed_;
  }
  return !batch.windows.empty();
}

// Moves to the next record; false at the end of the input.
bool WindowReader::advance_record() {
  if (have_record_) bases_before_ += length();
  have_record_ = false;
  if (pending_first_) {
    pending_first_ = false;
  } else if (!source_->next(record_)) {
    return false;
  }
  check_record_not_empty(source_->path(), record_);
  if (regions_) check_duplicate(record_);
  have_record_ = true;
  ++n_records_;
  n_in_record_ = plan_.count(length());
  next_in_record_ = 0;
  return true;
}

// A region given twice (same contig, start and end) is most likely a mistake in the BED file or the -r list. A
// 64-bit hash per region keeps this cheap for BED files of millions of lines.
void WindowReader::check_duplicate(const io::SequenceRecord& record) {
  const uint64_t key = (std::hash<std::string>{}(record.name) * 0x9E3779B97F4A7C15ull ^
                        std::hash<int64_t>{}(record.offset)) * 0x9E3779B97F4A7C15ull ^
                       std::hash<int64_t>{}(length());  // same contig and start but another end: not a duplicate
  const int64_t number = record.index + 1;
  const auto [it, inserted] = first_seen_.emplace(key, number);
  if (inserted) return;
  const std::string what =
      regions_ ? "duplicate region '" +
                     io::to_string(io::Region{record.name, record.offset, record.offset + length(), {}}) + "'"
               : "duplicate record name '" + record.name + "'";
  throw InputError(source_->path() + ": record " + std::to_string(number) + ": " + what + " (first at record " +
                   std::to_string(it->second) + ")");
}

}  // namespace genomamba::apps::embed
