#!/usr/bin/env bash
# Full-size (d_model 256, n_layer 16) PH and PS CPU benchmark at several lengths, one process per row, with
# (a) the fraction of this machine's fp32 FMA peak, measured here by bench_fma_peak, and (b) the speed
# ratio against the float32 reference implementation (tools/reference, plain-loop scan) at 16k tokens,
# measured here by bench/reference_speed.py.
# Usage: bench/run_cpu.sh [build dir] [lengths...]   (default: build, 1024 16384 131072 1048576)
#   GM_BENCH_KINDS="ph ps" (default), GM_BENCH_REFERENCE_LENGTH=16384
#   GM_BENCH_BASELINE=<commit>: also build that commit's bench_cpu_forward (in a git worktree) and run it on
#   the same checkpoint just before each row, its row marked "baseline" (the same-run comparison of
#   docs/benchmarks.md; e.g. GM_BENCH_BASELINE=0791f7b, the engine before issue 12).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
lengths=("$@")
((${#lengths[@]})) || lengths=(1024 16384 131072 1048576)
kinds=(${GM_BENCH_KINDS:-ph ps})
ref_length=${GM_BENCH_REFERENCE_LENGTH:-16384}
work=$(mktemp -d)
trap 'rm -rf "$work"; git worktree prune' EXIT
baseline=
if [ -n "${GM_BENCH_BASELINE:-}" ]; then
  git worktree add -f "$work/baseline" "$GM_BENCH_BASELINE" >/dev/null
  cmake -S "$work/baseline" -B "$work/baseline/build" -DCMAKE_BUILD_TYPE=Release -DGENOMAMBA_BUILD_TESTS=OFF \
    -DGENOMAMBA_WITH_CUDA=OFF >/dev/null
  cmake --build "$work/baseline/build" -j"$(nproc)" --target bench_cpu_forward >/dev/null
  baseline="$work/baseline/build/bench/bench_cpu_forward"
fi
for kind in "${kinds[@]}"; do
  /usr/bin/python3 tools/reference/make_checkpoint.py --kind "$kind" --d-model 256 --n-layer 16 --seed 11 \
    --out "$work/$kind" >/dev/null
done
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
"$build/bench/bench_fma_peak" | sed 's/^/# FMA peak, /'
peak=$("$build/bench/bench_fma_peak" --best)
echo "# FMA peak used for 'of FMA peak': $peak GFLOP/s (the best of a second measurement)"
first=--header
for kind in "${kinds[@]}"; do
  ref_tps=$(/usr/bin/python3 bench/reference_speed.py -m "$work/$kind" -L "$ref_length")
  echo "# $kind: float32 reference at $ref_length tokens: $ref_tps tokens/s" >&2
  for L in "${lengths[@]}"; do
    ratio=()
    [ "$L" = "$ref_length" ] && ratio=(--reference-tokens-per-s "$ref_tps")
    if [ -n "$baseline" ]; then
      echo -n "baseline $GM_BENCH_BASELINE: "
      "$baseline" -m "$work/$kind" -L "$L" --peak-gflops "$peak" "${ratio[@]}"
    fi
    "$build/bench/bench_cpu_forward" -m "$work/$kind" -L "$L" --peak-gflops "$peak" "${ratio[@]}" $first
    first=
  done
done
