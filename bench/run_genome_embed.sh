#!/usr/bin/env bash
# Issue 3's acceptance run: a 5-Mbp multi-record FASTA embedded with --window 16384 on the CPU three ways —
# in one run, as 3 shards merged, and killed twice (SIGKILL) and resumed — then the three files compared
# dataset by dataset, and peak RSS of a 1-Mbp run set beside the 5-Mbp run.
# Usage: bench/run_genome_embed.sh [build dir] [model dir] [extra embed flags...]
#   defaults: build, data/models/caduceus-ph-untrained-d64-l4, "--strand fwd --logits"
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
model=${2:-data/models/caduceus-ph-untrained-d64-l4}
shift 2 || shift $#
flags=("$@")
((${#flags[@]})) || flags=(--strand fwd --logits)
gm="$build/apps/genomamba"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Synthetic random DNA: 5 records summing to 5 Mbp (and the first 1 Mbp of it as its own file).
scale=${GM_BENCH_SCALE:-1}   # < 1 shrinks the inputs, to try the script quickly
batch=${GM_BENCH_BATCH:-8}
/usr/bin/python3 - "$work" "$scale" <<'PY'
import math, sys, numpy as np
work, scale = sys.argv[1], float(sys.argv[2])
rng = np.random.Generator(np.random.PCG64(5))
lengths = [int(n * scale) for n in (1_000_000, 1_500_000, 700_000, 1_300_000, 500_000)]
with open(f"{work}/n_windows", "w") as f:
    f.write(str(sum(max(1, math.ceil(n / 16384)) for n in lengths)))
def write(path, records):
    with open(path, "w") as f:
        for name, seq in records:
            f.write(f">{name}\n")
            for i in range(0, len(seq), 80):
                f.write(seq[i:i + 80] + "\n")
records = [(f"chr{i + 1}", "".join(rng.choice(list("ACGT"), size=n))) for i, n in enumerate(lengths)]
write(f"{work}/5mb.fa", records)
write(f"{work}/1mb.fa", records[:1])
PY

embed() { "$gm" embed -m "$model" --window 16384 --batch "$batch" -@ 2 -q "${flags[@]}" "$@"; }
now() { date +%s.%N; }
rss_of() { grep -o 'Peak RSS: [0-9.]* GB' "$1" | awk '{print $3}'; }
summary() { "$gm" embed -m "$model" --window 16384 --batch "$batch" -@ 2 "${flags[@]}" "$@" 2>&1 >/dev/null | tail -n 1; }

t0=$(now); summary -i "$work/1mb.fa" -o "$work/1mb.h5" > "$work/1mb.log"; t1=$(now)
summary -i "$work/5mb.fa" -o "$work/one.h5" > "$work/5mb.log"; t2=$(now)
for i in 0 1 2; do embed -i "$work/5mb.fa" -o "$work/shard$i.h5" --shard $i/3; done
"$gm" merge -q -o "$work/merged.h5" "$work/shard0.h5" "$work/shard1.h5" "$work/shard2.h5"; t3=$(now)

# Killed twice, each time once the job has committed more batches, then resumed to the end.
kills=0
n_batches=$(( ($(cat "$work/n_windows") + batch - 1) / batch ))
for wait_batches in $((n_batches / 6 + 1)) $((n_batches / 2)); do
  # The binary itself in the background (not a shell function), so that kill -9 reaches genomamba.
  "$gm" embed -m "$model" --window 16384 --batch "$batch" -@ 2 -q "${flags[@]}" \
    -i "$work/5mb.fa" -o "$work/resumed.h5" --resume &
  pid=$!
  while [ "$(ls "$work/resumed.h5.partial.d" 2>/dev/null | grep -c '^batch_.*\.h5$' || true)" -lt "$wait_batches" ]; do sleep 0.2; done
  kill -9 $pid; wait $pid 2>/dev/null || true
  kills=$((kills + 1))
done
embed -i "$work/5mb.fa" -o "$work/resumed.h5" --resume; t4=$(now)

/usr/bin/python3 - "$work" <<'PY'
import sys, h5py, numpy as np
work = sys.argv[1]
def datasets(path):
    out = {}
    with h5py.File(path) as f:
        assert f.attrs["complete"] == 1, path
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return out
one, merged, resumed = (datasets(f"{work}/{n}.h5") for n in ("one", "merged", "resumed"))
for name, other in (("3 shards merged", merged), ("killed twice, resumed", resumed)):
    assert one.keys() == other.keys(), (name, one.keys(), other.keys())
    for key in one:
        a, b = one[key], other[key]
        assert a.shape == b.shape and np.array_equal(a, b), (name, key)
    print(f"{name}: {len(one)} datasets equal to the single run "
          f"({one['windows/start'].shape[0]} windows, {sum(v.nbytes for v in one.values()) / 1e6:.0f} MB)")
PY
rss1=$(rss_of "$work/1mb.log"); rss5=$(rss_of "$work/5mb.log")
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; model $model; flags ${flags[*]}"
echo "| run | input | wall (s) | peak RSS (GB) |"
echo "|---|---|---|---|"
printf "| single | 1 Mbp | %.1f | %s |\n" "$(echo "$t1 - $t0" | bc)" "$rss1"
printf "| single | 5 Mbp | %.1f | %s |\n" "$(echo "$t2 - $t1" | bc)" "$rss5"
printf "| 3 shards + merge | 5 Mbp | %.1f | |\n" "$(echo "$t3 - $t2" | bc)"
printf "| killed %d times + resumed | 5 Mbp | %.1f | |\n" "$kills" "$(echo "$t4 - $t3" | bc)"
echo "peak RSS 5 Mbp / 1 Mbp = $(echo "scale=3; $rss5 / $rss1" | bc)"
