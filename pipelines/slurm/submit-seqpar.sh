#!/usr/bin/env bash
# Submits seqpar.sbatch: one embed run split over GM_RANKS MPI ranks (one Slurm task each, GM_THREADS
# CPUs each, GM_NODES nodes if set; one GPU per rank when GM_DEVICE is cuda). Prints SEQPAR_JOB=<id>.
# Settings (environment variables) are listed in README.md.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

: "${GM_MODEL:?set GM_MODEL to the model directory}"
: "${GM_INPUT:?set GM_INPUT to the sequences}"
: "${GM_OUTPUT:?set GM_OUTPUT to the output .h5}"
GM_RANKS=${GM_RANKS:-2}
GM_THREADS=${GM_THREADS:-4}
GM_MEM=${GM_MEM:-8G}
GM_LOGDIR=${GM_LOGDIR:-$(dirname "$GM_OUTPUT")}
export GM_BIN GM_MODEL GM_INPUT GM_REF GM_OUTPUT GM_WINDOW GM_DEVICE GM_EXTRA_ARGS GM_SRUN_MPI
mkdir -p "$GM_LOGDIR"

opts=(--ntasks="$GM_RANKS" --cpus-per-task="$GM_THREADS" --mem="$GM_MEM")
if [ -n "${GM_NODES:-}" ]; then opts+=(--nodes="$GM_NODES"); fi
if [ -n "${GM_TIME:-}" ]; then opts+=(--time="$GM_TIME"); fi
case ${GM_DEVICE:-} in cuda*) opts+=(--gpus-per-task=1) ;; esac
# shellcheck disable=SC2206
opts+=(${GM_SBATCH_ARGS:-})

job=$(sbatch --parsable "${opts[@]}" --output="$GM_LOGDIR/$(basename "$GM_OUTPUT").seqpar.%j.log" \
  "$here/seqpar.sbatch")
echo "SEQPAR_JOB=${job%%;*}"
