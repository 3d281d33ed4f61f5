// Data-parallel jobs over ranks: every rank computes its part into its own file and rank 0 merges them with the
// same code as `genomamba merge`, so the one output equals a one-process run row for row.
#include "job_ranks.h"

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "cli_common.h"
#include "core/error.h"
#include "core/log.h"
#include "core/resources.h"
#include "output/job.h"
#include "parallel/communicator.h"

namespace genomamba::apps {

namespace fs = std::filesystem;

void run_job_over_ranks(const JobOptions& typed, const JobOptions& resolved, const std::string& output,
                        const std::function<void(const std::string& part_output, const JobOptions& part_job)>& run_part) {
  parallel::Communicator& comm = *resolved.communicator;
  const int P = comm.size(), r = comm.rank();
  if (resolved.shard_count > 1) {
    throw ConfigError("--shard " + typed.shard + " with " + std::to_string(P) + " ranks: the ranks split the job "
                      "among themselves; use either --shard (and merge) or ranks");
  }
  if (output == "-") throw UsageError("-o - with " + std::to_string(P) + " ranks: give an output file");
  const fs::path parts = output + ".ranks.d";
  if (r == 0) fs::create_directories(parts);
  comm.barrier();  // the folder exists for every rank

  JobOptions part = typed;
  part.comm = "none";
  part.shard = std::to_string(r) + "/" + std::to_string(P);
  part.device = resolved.run.device.name();  // the GPU resolve_communicator gave this rank, or "cpu"
  part.exit_summary = false;
  const auto part_path = [&](int rank) {
    return (parts / ("part-" + std::to_string(rank) + "-of-" + std::to_string(P) + ".h5")).string();
  };
  const log::Level level = log::level();
  if (r != 0) log::set_level(log::Level::WARNING);  // the log comes from rank 0
  run_part(part_path(r), part);
  log::set_level(level);

  // Every rank's peak memory, for rank 0's log; then rank 0 merges once every part is complete.
  const float mine = static_cast<float>(static_cast<double>(core::peak_rss_bytes()) / 1e9);
  std::vector<float> peaks(static_cast<size_t>(P));
  comm.all_gather(std::span<const float>(&mine, 1), peaks);
  if (r == 0) {
    std::vector<fs::path> files;
    for (int q = 0; q < P; ++q) files.emplace_back(part_path(q));
    const std::string command_line = typed.context ? typed.context->command_line : std::string();
    output::merge_job_files(*format_of_shards(files.front(), output), files, output, command_line);
    fs::remove_all(parts);
    std::string text;
    for (float peak : peaks) text += (text.empty() ? "" : ", ") + std::to_string(peak).substr(0, 5);
    log::info("merged the parts of " + std::to_string(P) + " " + comm.name() + " ranks into " + output +
              "; peak RSS per rank (GB, rank 0 first): " + text);
    if (typed.context && !typed.quiet) log_run_summary(*typed.context);
  }
  comm.barrier();  // no rank ends before the output is complete
}

}  // namespace genomamba::apps
