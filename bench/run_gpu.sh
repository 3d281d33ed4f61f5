#!/usr/bin/env bash
# GPU benchmarks of the full-size (d_model 256, n_layer 16) PH and PS models, one process per row: the
# selective scan alone against a device-to-device copy (bench_gpu_scan, T = 1M, Di 512, N 16), the whole
# forward on the GPU at several lengths (bench_gpu_forward; the longest in the streaming memory mode), and the
# CPU forward at 16k tokens on all the machine's cores for comparison (bench_cpu_forward). Prints the tables.
# Usage: bench/run_gpu.sh [folder holding the bench_* binaries, or a build folder (its bench/)] [lengths...]
#   default: build-gpu, 1024 131072 1048576 10485760 (10485760 runs --memory streaming)
#   GM_BENCH_KINDS="ph ps" (default)
#   GM_GPU_FLOOR_PH=4000000, GM_GPU_FLOOR_PS=2000000: tokens/s of the 'of floor' column (performance.md §6.3,
#     H100, everything on FP32 SIMT with the projections shared: 4.0 M tok/s PH; PS does twice the work)
#   GM_BENCH_ROW_TIMEOUT=150 (seconds per row), GM_BENCH_BUDGET=330 (seconds for all rows; rows that would
#     start with less than 20 s left are skipped and say so; the exit status is 1 when a row failed or was
#     skipped)
#   PYTHON: the python3 that makes the checkpoints (tools/reference/make_checkpoint.py needs numpy; default:
#     the first of python3, /usr/bin/python3 that has it)
set -uo pipefail
cd "$(dirname "$0")/.."
bins=${1:-build-gpu}
shift || true
[ -x "$bins/bench_gpu_forward" ] || [ ! -x "$bins/bench/bench_gpu_forward" ] || bins=$bins/bench
lengths=("$@")
((${#lengths[@]})) || lengths=(1024 131072 1048576 10485760)
kinds=(${GM_BENCH_KINDS:-ph ps})
row_timeout=${GM_BENCH_ROW_TIMEOUT:-150}
budget=${GM_BENCH_BUDGET:-330}
# The first python3 with numpy (the GPU machines' python3 has it; on Debian it is /usr/bin/python3's).
python=${PYTHON:-}
if [ -z "$python" ]; then
  for p in python3 /usr/bin/python3; do
    if "$p" -c 'import numpy' 2>/dev/null; then python=$p; break; fi
  done
fi
[ -n "$python" ] || { echo "run_gpu: no python3 with numpy (tools/reference/make_checkpoint.py needs it; set PYTHON)" >&2; exit 2; }
for b in bench_gpu_forward bench_gpu_scan bench_cpu_forward; do
  [ -x "$bins/$b" ] || { echo "run_gpu: $bins/$b is missing" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$SECONDS
failed=0
skipped=0

# Runs one row: "$@" under the row timeout (less when the budget is nearly spent); its table line to stdout, its
# stderr to the log; a failed or skipped row prints a line that says so in the table's place.
row() {
  local label=$1 left limit rc
  shift
  left=$((budget - (SECONDS - start)))
  if ((left < 20)); then
    echo "| $label | skipped: the ${budget} s budget is spent |"
    skipped=$((skipped + 1))
    return 0
  fi
  limit=$((left < row_timeout ? left : row_timeout))
  timeout --kill-after=10 "$limit" "$@" 2>>"$work/stderr" >"$work/row"
  rc=$?
  cat "$work/row"
  if ((rc != 0)); then
    failed=$((failed + 1))
    if ((rc == 124 || rc == 137)); then
      echo "| $label | FAILED: timed out after ${limit} s |"
    else
      echo "| $label | FAILED: exit $rc: $(grep -v '^#' "$work/stderr" | tail -n 1) |"
    fi
  fi
  grep '^#' "$work/stderr" >&2 || true
  : >"$work/stderr"
}

for kind in "${kinds[@]}"; do
  "$python" tools/reference/make_checkpoint.py --kind "$kind" --d-model 256 --n-layer 16 --seed 11 \
    --out "$work/$kind" >/dev/null || { echo "run_gpu: $python could not make the $kind checkpoint" >&2; exit 2; }
done
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -n 1)"
echo "# CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"

echo
echo "Selective scan alone (fp32, one sequence, one tile):"
echo
echo "| op | device | tokens | d_inner x d_state | ms per call | tokens/s | GB/s (min bytes) | copy GB/s (read + write) |" \
  "of copy |"
echo "|---|---|---|---|---|---|---|---|---|"
row "selective_scan T=1048576" "$bins/bench_gpu_scan" -T 1048576 --d-inner 512 --d-state 16

# The CPU rows first (a few seconds), so that slow GPU rows cannot spend their budget; printed last.
for kind in "${kinds[@]}"; do
  row "$kind L=16384 (CPU)" "$bins/bench_cpu_forward" -m "$work/$kind" -L 16384 -@ 0 >>"$work/cpu_rows"
done

echo
echo "Forward on the GPU (256x16, one sequence, final hidden state downloaded):"
echo
echo "| model | d_model x n_layer | tokens | device | tile | memory | seconds | tokens/s | peak device (MB) |" \
  "predicted device (MB) | peak RSS (MB) | GFLOP/s | of floor |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
# Shorter lengths of every kind first: the longest rows are the ones the budget may cut.
for L in "${lengths[@]}"; do
  for kind in "${kinds[@]}"; do
    floor_var=GM_GPU_FLOOR_${kind^^}
    floor=${!floor_var:-$([ "$kind" = ps ] && echo 2000000 || echo 4000000)}
    memory=auto
    ((L >= 10000000)) && memory=streaming
    row "$kind L=$L" "$bins/bench_gpu_forward" -m "$work/$kind" -L "$L" --memory "$memory" \
      --floor-tokens-per-s "$floor"
  done
done

# Variant scoring through the command line: llr (a masked pass per SNV and strand, batched) at window 4,096,
# PH 256x16, --strand both, on the GPU; wall time of the whole command (model load included).
gm=$bins/genomamba
[ -x "$gm" ] || gm=$bins/../apps/genomamba
n_snv=${GM_BENCH_LLR_SNVS:-3000}
if [[ " ${kinds[*]} " == *" ph "* ]] && [ -x "$gm" ]; then
  "$python" - "$work" "$n_snv" <<'PY'
import sys, numpy as np
work, n = sys.argv[1], int(sys.argv[2])
rng = np.random.Generator(np.random.PCG64(7))
length, width = 2_000_000, 80
seq = "".join(rng.choice(list("ACGT"), size=length))
with open(f"{work}/ref.fa", "w") as f:
    f.write(">chr1\n" + "".join(seq[i:i + width] + "\n" for i in range(0, length, width)))
with open(f"{work}/ref.fa.fai", "w") as f:
    f.write(f"chr1\t{length}\t6\t{width}\t{width + 1}\n")
positions = np.sort(rng.choice(np.arange(5000, length - 5000), size=n, replace=False))
with open(f"{work}/snvs.vcf", "w") as f:
    f.write("##fileformat=VCFv4.2\n##contig=<ID=chr1,length=%d>\n" % length)
    f.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
    for p in positions:
        ref = seq[p - 1]
        alt = rng.choice([b for b in "ACGT" if b != ref])
        f.write(f"chr1\t{p}\t.\t{ref}\t{alt}\t.\t.\t.\n")
PY
  echo
  echo "Variant scoring on the GPU (genomamba score --scores llr --window 4096 --strand both, PH 256x16):"
  echo
  echo "| SNVs | seconds (whole command) | variants/s |"
  echo "|---|---|---|"
  t0=$(date +%s.%N)
  if timeout --kill-after=10 "$row_timeout" "$gm" score -m "$work/ph" -f "$work/ref.fa" -v "$work/snvs.vcf" \
      -o "$work/scored.tsv" --scores llr --window 4096 --strand both --batch 256 --device cuda -q 2>>"$work/stderr"; then
    t1=$(date +%s.%N)
    awk -v n="$n_snv" -v a="$t0" -v b="$t1" 'BEGIN { printf "| %d | %.2f | %.0f |\n", n, b - a, n / (b - a) }'
  else
    echo "| $n_snv | FAILED: $(tail -n 1 "$work/stderr") | - |"
    failed=$((failed + 1))
  fi
fi

echo
echo "Forward on the CPU ($(nproc) threads) for comparison:"
echo
echo "| model | d_model x n_layer | tokens | threads | tile | memory | seconds | tokens/s | peak RSS (MB) |" \
  "predicted peak (MB) | GFLOP/s | of FMA peak | x reference (fp32) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
cat "$work/cpu_rows"
echo
echo "# run_gpu: $((SECONDS - start)) s, $failed failed row(s), $skipped skipped for the budget"
((failed == 0 && skipped == 0))
