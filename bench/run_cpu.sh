#!/usr/bin/env bash
# Full-size (d_model 256, n_layer 16) PH and PS CPU benchmark at several lengths; one process per row.
# Usage: bench/run_cpu.sh [build dir] [lengths...]   (default: build, 1024 16384 131072)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
lengths=("$@")
((${#lengths[@]})) || lengths=(1024 16384 131072)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for kind in ph ps; do
  /usr/bin/python3 tools/reference/make_checkpoint.py --kind $kind --d-model 256 --n-layer 16 --seed 11 \
    --out "$work/$kind" >/dev/null
done
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
first=--header
for kind in ph ps; do
  for L in "${lengths[@]}"; do
    "$build/bench/bench_cpu_forward" -m "$work/$kind" -L "$L" $first
    first=
  done
done
