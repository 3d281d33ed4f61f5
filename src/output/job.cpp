#include "output/job.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

#include "core/error.h"
#include "core/file_lock.h"
#include "core/log.h"
#include "output/job_manifest.h"

namespace genomamba::output {

namespace fs = std::filesystem;
using detail::JobManifest;

namespace {

constexpr const char* kManifestName = "job.json";
constexpr const char* kBatchPrefix = "batch_";
constexpr const char* kBatchSuffix = ".h5";

fs::path with_suffix(const fs::path& path, const char* suffix) {
  fs::path out = path;
  out += suffix;
  return out;
}

std::string batch_file_name(int64_t index) {
  char name[40];
  std::snprintf(name, sizeof name, "%s%06lld%s", kBatchPrefix, static_cast<long long>(index), kBatchSuffix);
  return name;
}

// The batch index of "batch_000012.h5", or -1 for any other name.
int64_t batch_index(const std::string& name) {
  const std::string prefix = kBatchPrefix, suffix = kBatchSuffix;
  if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return -1;
  }
  const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.size() > 12 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoll(digits);
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// What OUT holds, as far as resuming is concerned.
enum class OutputState { NONE, SAME_JOB, OTHER_JOB };

struct OutputCheck {
  OutputState state = OutputState::NONE;
  int64_t n_rows = 0;
  std::string differences;
};

// A complete HDF5 file of the job's format at OUT is either this job's finished result or another job's.
// Anything else (missing, not ours, incomplete, a text output) is NONE: finish() overwrites it as a plain
// run does.
OutputCheck check_output(const fs::path& output, const JobFormat& format, const JobManifest& job) {
  OutputCheck check;
  std::error_code ec;
  if (!format.output_is_h5(output) || !fs::is_regular_file(output, ec)) return check;
  try {
    const std::unique_ptr<RowReader> reader = format.open_h5(output);
    if (!reader->complete()) return check;
    if (!reader->has_attribute("job_signature")) {
      check.state = OutputState::OTHER_JOB;
      check.differences = "having no job_signature attribute (another command or an older genomamba wrote it)";
      return check;
    }
    JobManifest found;
    found.format = format.format();
    found.layout_key = reader->layout_key();
    found.model_sha256 = reader->has_attribute("model_sha256") ? reader->string_attribute("model_sha256") : "";
    found.signature = reader->string_attribute("job_signature");
    found.shard_index = -1;
    if (reader->has_attribute("shard")) {
      detail::parse_shard_text(reader->string_attribute("shard"), found.shard_index, found.shard_count);
    }
    check.differences = detail::describe_differences(found, job);
    check.state = check.differences.empty() ? OutputState::SAME_JOB : OutputState::OTHER_JOB;
    check.n_rows = reader->n_rows();
  } catch (const InputError&) {
    return check;
  }
  return check;
}

// A private folder under $TMPDIR (or /tmp) for a job writing to standard output.
fs::path make_scratch_folder() {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string pattern = (tmpdir && *tmpdir ? std::string(tmpdir) : std::string("/tmp")) + "/genomamba-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw DeviceError(pattern + ": cannot create a temporary folder for the batches: " + std::strerror(errno));
  }
  return pattern;
}

}  // namespace

struct Job::Impl {
  core::InterruptScope interrupts;       // SIGINT/SIGTERM stop the run between batches
  std::unique_ptr<core::FileLock> lock;  // "<OUT>.lock": one process per output at a time
  fs::path output;
  fs::path folder;
  std::shared_ptr<const JobFormat> format;
  RootAttributes attrs;
  JobManifest manifest;
  int64_t n_committed = 0;
  int64_t n_batches = 0;
  bool already_complete = false;
  bool finished = false;
  bool to_stdout = false;  // OUT is "-"
  fs::path scratch;        // with to_stdout: the private folder holding the batches and the lock

  void start(bool resume);
  void create_folder();
  void open_folder();
  void remove_folder();
  fs::path batch_path(int64_t index) const { return folder / batch_file_name(index); }
};

// The folder is built as "<folder>.tmp" and renamed into place, so a folder under the real name always
// has its manifest (until finish() removes it, manifest first).
void Job::Impl::create_folder() {
  const fs::path temp = with_suffix(folder, ".tmp");
  std::error_code ec;
  fs::remove_all(temp, ec);
  if (!fs::create_directory(temp, ec) || ec) {
    throw InputError(output.string() + ": cannot create the batch folder " + temp.string() + " (" +
                     (ec ? ec.message() : "it exists") + ")");
  }
  try {
    detail::write_manifest(temp / kManifestName, manifest);
    detail::durable_rename(temp, folder);
  } catch (const Error&) {
    fs::remove_all(temp, ec);  // nothing of a folder that never came into place is left behind
    throw;
  }
}

// Reads the committed batches: temporary files of a killed commit are deleted; the batch files must be
// numbered 0..K-1 without a gap (they are committed in order, so a gap is damage, not an interruption).
void Job::Impl::open_folder() {
  std::map<int64_t, fs::path> batches;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (ends_with(name, ".partial") || ends_with(name, ".tmp")) {
      log::debug("removing " + entry.path().string() + " (left by an interrupted commit)");
      std::error_code ec;
      fs::remove(entry.path(), ec);
      continue;
    }
    const int64_t index = batch_index(name);
    if (index >= 0) batches[index] = entry.path();
  }
  int64_t expected = 0;
  for (const auto& [index, path] : batches) {
    if (index != expected) {
      throw InputError(folder.string() + ": " + batch_file_name(expected) + " is missing but " +
                       path.filename().string() + " exists; the batch folder is damaged (delete it to start over)");
    }
    const std::unique_ptr<RowReader> reader = format->open_h5(path);
    if (!reader->complete() || reader->layout_key() != manifest.layout_key) {
      throw InputError(path.string() + ": batch file is incomplete or has another layout; the batch folder is "
                       "damaged (delete it to start over)");
    }
    n_committed += reader->n_rows();
    ++expected;
  }
  n_batches = expected;
}

void Job::Impl::remove_folder() {
  std::error_code ec;
  if (!fs::exists(folder, ec)) return;
  // The manifest goes first: a folder without one is known to be a finished job's leftovers.
  fs::remove(folder / kManifestName, ec);
  detail::sync_path(folder);
  fs::remove_all(folder, ec);
  if (ec) throw DeviceError(folder.string() + ": cannot remove the batch folder: " + ec.message());
}

// Opens, resumes or creates the batch folder (the lock is held).
void Job::Impl::start(bool resume) {
  std::error_code ec;
  const bool folder_exists = fs::is_directory(folder, ec);
  if (!folder_exists && fs::exists(fs::symlink_status(folder, ec))) {
    throw InputError(folder.string() + ": a file is where this job keeps its batches (the output's batch "
                     "folder); move it away or choose another -o");
  }
  const bool has_manifest = folder_exists && fs::exists(folder / kManifestName, ec);
  if (!resume) {
    if (has_manifest) {
      throw ConfigError(folder.string() + ": an interrupted run left this batch folder; pass --resume to "
                        "continue it, or delete the folder to start over");
    }
    if (folder_exists) remove_folder();  // without a manifest: the leftovers of a finished job
    create_folder();
    return;
  }
  if (has_manifest) {
    const JobManifest found = detail::read_manifest(folder / kManifestName);
    const std::string differences = detail::describe_differences(found, manifest);
    if (!differences.empty()) {
      throw ConfigError(folder.string() + ": cannot resume: the batch folder belongs to a different job; it "
                        "differs in " + differences);
    }
    open_folder();
    return;
  }
  // No batch folder (or the remains of one whose job finished): OUT tells whether the job is done.
  const OutputCheck check = check_output(output, *format, manifest);
  if (check.state == OutputState::OTHER_JOB) {
    throw ConfigError(output.string() + ": cannot resume: this file holds the result of a different job; it "
                      "differs in " + check.differences + " (remove it, or run without --resume)");
  }
  if (check.state == OutputState::SAME_JOB) {
    already_complete = true;
    n_committed = check.n_rows;
    remove_folder();
    lock->remove();
    return;
  }
  if (folder_exists) remove_folder();
  create_folder();
}

fs::path Job::batch_folder(const fs::path& output) { return with_suffix(output, ".partial.d"); }

Job::Job(const fs::path& output, std::shared_ptr<const JobFormat> format, const RootAttributes& attrs,
         const JobIdentity& identity, bool resume)
    : impl_(std::make_unique<Impl>()) {
  GM_CHECK(identity.shard_count >= 1 && identity.shard_index >= 0 && identity.shard_index < identity.shard_count,
           "identity shard must satisfy 0 <= shard_index < shard_count");
  GM_CHECK(format != nullptr, "a job needs a format");
  Impl& d = *impl_;
  // Two runs on one output (a requeued array task beside a live one, say) would corrupt each other's
  // batches: the second is refused while the first holds the lock.
  d.to_stdout = output == "-";
  if (d.to_stdout) {
    // Standard output: the batches live in a private temporary folder; nothing there can be resumed.
    if (resume) throw UsageError("--resume needs an output file; a run writing to standard output (-o -) cannot be resumed");
    d.scratch = make_scratch_folder();
  }
  const fs::path lock_path = d.to_stdout ? d.scratch / "lock" : with_suffix(output, ".lock");
  d.lock = std::make_unique<core::FileLock>(lock_path);
  if (!d.lock->acquired()) {
    throw InputError(output.string() + ": another genomamba process is writing this output (it holds " +
                     lock_path.string() + ")");
  }
  d.output = output;
  d.folder = d.to_stdout ? d.scratch / "batches" : batch_folder(output);
  d.format = std::move(format);
  d.attrs = attrs;
  d.attrs.extra["job_signature"] = identity.signature;
  d.attrs.extra["shard"] = detail::shard_text(identity.shard_index, identity.shard_count);
  d.manifest = JobManifest{identity.signature, identity.shard_index, identity.shard_count, attrs.model_sha256,
                           d.format->format(), d.format->layout_key()};

  try {
    d.start(resume);
  } catch (...) {
    d.lock->remove();  // nothing of this run is left to protect
    throw;
  }
}

Job::~Job() {
  if (!impl_ || impl_->finished || impl_->already_complete) return;
  std::error_code ec;
  if (!impl_->scratch.empty()) {  // standard output: nothing can be resumed, so nothing is kept
    fs::remove_all(impl_->scratch, ec);
    return;
  }
  // A failed run with nothing committed leaves nothing behind (a later run needs no --resume); one with
  // committed batches keeps them for --resume. The lock file goes either way.
  if (impl_->n_batches == 0) fs::remove_all(impl_->folder, ec);
  if (impl_->lock) impl_->lock->remove();
}

int64_t Job::n_committed() const { return impl_->n_committed; }

bool Job::already_complete() const { return impl_->already_complete; }

void Job::commit(const RowBatch& batch) {
  Impl& d = *impl_;
  GM_CHECK(!d.finished, "commit after finish()");
  GM_CHECK(!d.already_complete, "commit on a job that is already complete");
  if (batch.size() == 0) return;
  const fs::path path = d.batch_path(d.n_batches);
  // The writer writes "<temp>.partial" and renames it to <temp>; <temp> is then synced and renamed to
  // its batch name, so a batch file under its real name is always whole and on disk.
  const fs::path temp = with_suffix(path, ".tmp");
  try {
    {
      const std::unique_ptr<RowWriter> writer = d.format->create_h5(temp, d.attrs);
      writer->append(batch, 0, batch.size());
      writer->finish();
    }
    detail::sync_path(temp);
    detail::durable_rename(temp, path);
  } catch (...) {
    std::error_code ec;  // on a full disk the half-written batch would hold space until --resume
    fs::remove(temp, ec);
    throw;
  }
  ++d.n_batches;
  d.n_committed += batch.size();
}

core::Interrupted Job::interrupted(const core::Interrupted& e, const std::string& unit) const {
  const Impl& d = *impl_;
  std::string text = "interrupted by " + core::signal_name(e.signal()) + " after " + std::to_string(d.n_committed) +
                     " " + unit;
  if (d.to_stdout) return core::Interrupted(e.signal(), text + "; a run writing to standard output cannot be resumed");
  if (d.n_batches > 0) text += " (kept in " + d.folder.string() + ")";
  return core::Interrupted(e.signal(), text + "; run the same command with --resume to continue");
}

void Job::discard() {
  Impl& d = *impl_;
  std::error_code ec;
  fs::remove_all(d.folder, ec);
  if (!d.to_stdout) fs::remove(with_suffix(d.output, ".partial"), ec);
  d.lock->remove();
  if (!d.scratch.empty()) fs::remove_all(d.scratch, ec);
  d.finished = true;
}

void Job::finish(int64_t n_rows_total) {
  Impl& d = *impl_;
  GM_CHECK(!d.finished, "finish() called twice");
  if (d.already_complete) {
    d.remove_folder();
    d.lock->remove();
    d.finished = true;
    return;
  }
  GM_CHECK(n_rows_total >= d.n_committed, "n_rows_total must be >= the rows committed");
  RootAttributes attrs = d.attrs;
  attrs.extra_ints["n_rows_total"] = n_rows_total;
  {
    // Killed in here, OUT is untouched (the writer works on OUT.partial) and the folder is whole.
    const std::unique_ptr<RowWriter> writer = d.format->create_output(d.output, attrs);
    for (int64_t i = 0; i < d.n_batches; ++i) {
      core::throw_if_interrupted();  // OUT.partial is removed with the writer; the batches stay
      const std::unique_ptr<RowReader> reader = d.format->open_h5(d.batch_path(i));
      const std::unique_ptr<RowBatch> batch = reader->read(0, reader->n_rows());
      writer->append(*batch, 0, batch->size());
    }
    writer->finish();
  }
  if (!d.to_stdout) {
    detail::sync_path(d.output);
    detail::sync_path(d.output.has_parent_path() ? d.output.parent_path() : fs::path("."));
  }
  // Killed from here on, OUT is complete and the folder is whole or has lost its manifest: a resumed run
  // re-assembles OUT, or finds it complete and only removes the folder.
  d.remove_folder();
  d.lock->remove();
  std::error_code ec;
  if (!d.scratch.empty()) fs::remove_all(d.scratch, ec);
  d.finished = true;
}

}  // namespace genomamba::output
