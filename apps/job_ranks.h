#pragma once
// score and ism over MPI ranks: data parallel (each rank a part of the job, rank 0 merges), for the CLI.
#include <functional>
#include <string>

#include "commands.h"

namespace genomamba::apps {

/// Runs a job command whose `job.communicator` has P > 1 ranks data parallel: rank r runs the part r/P of the
/// job (`run_part` with a one-process copy of the typed options: --shard r/P, --comm none, the rank's device)
/// into OUT.ranks.d/part-<r>-of-<P>.h5; when every part is complete, rank 0 merges them into `output` (any
/// output type the command writes; equal to a one-process run, as `merge` of --shard files is) and removes the
/// folder. Only rank 0 logs. --resume continues each rank's part. A failing rank ends the job (main's
/// MPI_Abort). @throws ConfigError for --shard together with ranks, UsageError for -o -.
void run_job_over_ranks(const JobOptions& typed, const JobOptions& resolved, const std::string& output,
                        const std::function<void(const std::string& part_output, const JobOptions& part_job)>& run_part);

}  // namespace genomamba::apps
