#!/usr/bin/env bash
# One sequence over 1, 2 and 4 CPU ranks (issue 14): `genomamba embed` of a 1,048,576-base random sequence with a
# PH 256x16 checkpoint (random weights, tools/reference/make_checkpoint.py), pooled output, --strand fwd,
# one window. For each rank count: wall time, each rank's peak RSS, each rank's share of wall time inside
# collectives (embed's exit summary, parallel::CountingCommunicator), the bytes a rank sends per mixer call
# against performance.md §3.3's count (2 directions x ((K-1)·Di halo + Di·N + Di summary) floats), and the
# pooled embedding's relative error against the one-process run.
# Usage: bench/run_ranks.sh [build dir] [length] [rank counts...]   (default: build 1048576 1 2 4)
# The ranks run with OMP_NUM_THREADS=1 each; one process gets $(nproc) threads. On a machine with fewer cores
# than ranks they are oversubscribed (mpirun --oversubscribe) and the wall times measure that too.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
length=${2:-1048576}
shift 2 || shift $#
counts=("$@")
((${#counts[@]})) || counts=(1 2 4)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 tools/reference/make_checkpoint.py --kind ph --d-model 256 --n-layer 16 --seed 11 --out "$work/ph" >/dev/null
/usr/bin/python3 - "$work/in.fa" "$length" <<'PY'
import random, sys
random.seed(7)
with open(sys.argv[1], "w") as f:
    f.write(">seq\n" + "".join(random.choice("ACGT") for _ in range(int(sys.argv[2]))) + "\n")
PY
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
args=(embed -m "$work/ph" -i "$work/in.fa" --window "$length" --strand fwd --batch 1)
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores;" \
     "PH 256x16, $length tokens, pooled, --strand fwd"
printf '| ranks | wall (s) | tokens/s | peak RSS per rank (GB) | time in communication per rank | bytes sent per mixer call (perf.md 3.3) | pooled vs 1 rank |\n'
printf '|---|---|---|---|---|---|---|\n'
for P in "${counts[@]}"; do
  out="$work/out$P.h5"
  start=$(date +%s.%N)
  if [ "$P" = 1 ]; then
    "$build/apps/genomamba" "${args[@]}" -o "$out" 2>"$work/log$P"
  else
    OMP_NUM_THREADS=1 mpirun -np "$P" "$build/apps/genomamba" "${args[@]}" -o "$out" 2>"$work/log$P"
  fi
  end=$(date +%s.%N)
  /usr/bin/python3 - "$P" "$start" "$end" "$length" "$work/log$P" "$out" "$work/out1.h5" "$work/ph/config.json" <<'PY'
import json, re, sys
import h5py, numpy as np
P, start, end, length, log, out, one, config = sys.argv[1:]
wall = float(end) - float(start)
text = open(log).read()
rss = re.search(r"peak RSS per rank \(GB, rank 0 first\): ([^\n]+)", text)
rss = rss.group(1) if rss else re.search(r"Peak RSS: ([0-9.]+) GB", text).group(1)
comm = re.search(r"communication per rank \(share of wall time, rank 0 first\): ([^;]+);.* (\d+) bytes per mixer call", text)
c = json.load(open(config))
d_inner = c.get("expand", 2) * c["d_model"]
expected = 2 * ((c.get("d_conv", 4) - 1) * d_inner + d_inner * c.get("d_state", 16) + d_inner) * 4
sent = f"{int(comm.group(2)):,} ({expected:,})" if comm else f"— ({expected:,})"
a = h5py.File(out)["windows/embedding"][:].astype(np.float64)
b = h5py.File(one)["windows/embedding"][:].astype(np.float64)
error = np.linalg.norm(a - b) / np.linalg.norm(b)
print(f"| {P} | {wall:.1f} | {int(length) / wall:,.0f} | {rss} | {comm.group(1) if comm else '—'} | {sent} | "
      f"{'—' if P == '1' else f'relative error {error:.1e}'} |")
PY
done
