#!/usr/bin/env bash
# Submits the sharded run: an array job of $GM_SHARDS tasks (shard-array.sbatch) and a merge job
# (merge.sbatch) that waits for it with --dependency=afterok, so it runs only if every task succeeded and
# is cancelled (--kill-on-invalid-dep) if one fails. Prints the two job ids:
#   ARRAY_JOB=<id>
#   MERGE_JOB=<id>
# To redo tasks that failed or were cancelled, run it again with the same settings and GM_ARRAY set to
# their ids (e.g. GM_ARRAY=1,3): they continue from their last committed batch (--resume) and a new merge
# job waits for them. Settings (environment variables) are listed in README.md.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

: "${GM_MODEL:?set GM_MODEL to the model directory}"
: "${GM_OUTPUT:?set GM_OUTPUT to the merged output file}"
GM_SHARDS=${GM_SHARDS:-4}
GM_ARRAY=${GM_ARRAY:-0-$((GM_SHARDS - 1))}
GM_THREADS=${GM_THREADS:-4}
GM_MEM=${GM_MEM:-8G}
GM_OUTDIR=${GM_OUTDIR:-$GM_OUTPUT.shards}
GM_LOGDIR=${GM_LOGDIR:-$GM_OUTDIR/logs}
# The jobs read their settings from the environment that sbatch hands them (the submitting shell's):
# export them, so that values set as plain shell variables reach the jobs too.
export GM_BIN GM_COMMAND GM_MODEL GM_INPUT GM_VARIANTS GM_REF GM_REGION GM_OUTPUT GM_OUTDIR GM_SHARDS \
  GM_WINDOW GM_DEVICE GM_EXTRA_ARGS
mkdir -p "$GM_OUTDIR" "$GM_LOGDIR"

# Options for both jobs: GM_SBATCH_ARGS (split on spaces) carries site options such as --partition,
# --account or --qos; GM_TIME is the time limit of each task.
common=()
if [ -n "${GM_TIME:-}" ]; then common+=(--time="$GM_TIME"); fi
# shellcheck disable=SC2206
common+=(${GM_SBATCH_ARGS:-})

# Each task is one process with GM_THREADS CPUs; a cuda device gets one GPU per task.
task=(--ntasks=1 --cpus-per-task="$GM_THREADS" --mem="$GM_MEM")
case ${GM_DEVICE:-} in cuda*) task+=(--gpus-per-task=1) ;; esac

array_job=$(sbatch --parsable "${common[@]}" "${task[@]}" --array="$GM_ARRAY" \
  --output="$GM_LOGDIR/shard-%a-of-$GM_SHARDS.%A.log" "$here/shard-array.sbatch")
array_job=${array_job%%;*}   # --parsable prints "id" or "id;cluster"
echo "ARRAY_JOB=$array_job"
merge_job=$(sbatch --parsable "${common[@]}" --ntasks=1 --cpus-per-task=1 --mem="$GM_MEM" \
  --dependency=afterok:"$array_job" --kill-on-invalid-dep=yes \
  --output="$GM_LOGDIR/merge.%j.log" "$here/merge.sbatch")
merge_job=${merge_job%%;*}
echo "MERGE_JOB=$merge_job"
