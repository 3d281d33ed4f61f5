#!/usr/bin/env bash
# Issue 4's acceptance run: 1,000 SNVs on a synthetic 2-contig genome scored by `genomamba score` into .h5,
# .vcf.gz and .tsv (the numbers are then compared: they must be identical), `bcftools view` reading the
# annotated file, and variants/s of llr and of wt_llr at --window 4096 and 131072. Prints one table.
# Usage: bench/run_score.sh [build dir] [model dir]
#   defaults: build, data/models/caduceus-ph-untrained-d64-l4
#   GM_BENCH_LLR_131K: SNVs timed for llr at 131072 (default 20; each is a 131k-token pass per strand)
#   GM_BENCH_ID_WINDOW: --window of the three-output identity check (default 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
model=${2:-data/models/caduceus-ph-untrained-d64-l4}
n_llr_131k=${GM_BENCH_LLR_131K:-20}
id_window=${GM_BENCH_ID_WINDOW:-1024}
gm="$build/apps/genomamba"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Two contigs of random DNA (400 kbp, 200 kbp) and 1,000 SNVs at random positions, sorted.
/usr/bin/python3 - "$work" "$n_llr_131k" <<'PY'
import sys, numpy as np
work, n_small = sys.argv[1], int(sys.argv[2])
rng = np.random.Generator(np.random.PCG64(4))
contigs = {"chr1": 400_000, "chr2": 200_000}
seqs = {c: "".join(rng.choice(list("ACGT"), size=n)) for c, n in contigs.items()}
with open(f"{work}/ref.fa", "w") as f:
    for c, s in seqs.items():
        f.write(f">{c}\n" + "".join(s[i:i + 80] + "\n" for i in range(0, len(s), 80)))
def vcf(path, n):
    picks = sorted((c, int(p)) for c, p in zip(rng.choice(list(contigs), size=n, p=[2 / 3, 1 / 3]),
                                               rng.integers(0, 200_000, size=n)))
    with open(path, "w") as f:
        f.write("##fileformat=VCFv4.2\n" + "".join(f"##contig=<ID={c},length={n}>\n" for c, n in contigs.items()))
        f.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
        for i, (c, p) in enumerate(picks):
            ref = seqs[c][p]
            alt = "ACGT"[("ACGT".index(ref) + 1 + int(rng.integers(0, 3))) % 4]
            f.write(f"{c}\t{p + 1}\tv{i}\t{ref}\t{alt}\t.\tPASS\t.\n")
vcf(f"{work}/snvs.vcf", 1000)
vcf(f"{work}/few.vcf", n_small)
PY
samtools faidx "$work/ref.fa"
bgzip -c "$work/snvs.vcf" > "$work/snvs.vcf.gz" && tabix -p vcf "$work/snvs.vcf.gz"

now() { date +%s.%N; }
# score VCF WINDOW SCORES OUT -> prints seconds; the run's log line with the token count goes to $work/log
score() {
  local t0 t1
  t0=$(now)
  "$gm" score -m "$model" -v "$1" -f "$work/ref.fa" --window "$2" --scores "$3" -o "$4" -@ 2 2> "$work/log"
  t1=$(now)
  echo "$t0 $t1" | awk '{printf "%.2f", $2 - $1}'
}
tokens() { grep -o '; [0-9]* tokens computed' "$work/log" | grep -o '[0-9]*'; }

echo "model $model; $(nproc) threads; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); strand both"
printf '%-8s %-7s %-9s %9s %10s %12s\n' score window variants seconds variants/s tokens/s
row() {  # score window vcf n
  local out="$work/t_$1_$2.tsv" s
  s=$(score "$3" "$2" "$1" "$out")
  printf '%-8s %-7s %-9s %9s %10.2f %12.0f\n' "$1" "$2" "$4" "$s" "$(echo "$4 / $s" | bc -l)" "$(echo "$(tokens) / $s" | bc -l)"
}
row wt_llr 4096 "$work/snvs.vcf.gz" 1000
row llr 4096 "$work/snvs.vcf.gz" 1000
row wt_llr 131072 "$work/snvs.vcf.gz" 1000
row llr 131072 "$work/few.vcf" "$n_llr_131k"

# The same 1,000 SNVs (llr and wt_llr) scored three times, into three output types: identical numbers.
for out in s.h5 s.vcf.gz s.tsv; do score "$work/snvs.vcf.gz" "$id_window" llr,wt_llr "$work/$out" > /dev/null; done
bcftools view "$work/s.vcf.gz" > /dev/null && echo "bcftools view: read $(bcftools view -H "$work/s.vcf.gz" | wc -l) annotated records"
bcftools query -f '%CHROM\t%POS\t%ALT\t%GM_LLR\t%GM_WT_LLR\n' "$work/s.vcf.gz" > "$work/from_vcf.txt"
tail -n +2 "$work/s.tsv" | cut -f 1,2,5,8,9 > "$work/from_tsv.txt"
/usr/bin/python3 - "$work/s.h5" > "$work/from_h5.txt" <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1], "r"); v = f["variants"]
for c, p, a, l, w in zip(v["chrom"], v["pos"], v["alt"], f["scores/llr"], f["scores/wt_llr"]):
    print(f"{c.decode()}\t{p}\t{a.decode()}\t{l:g}\t{w:g}")
PY
if cmp -s "$work/from_vcf.txt" "$work/from_tsv.txt" && cmp -s "$work/from_h5.txt" "$work/from_tsv.txt"; then
  echo "identical numbers in .h5, .vcf.gz and .tsv: yes ($(wc -l < "$work/from_tsv.txt") alleles x 2 scores, window $id_window)"
else
  echo "identical numbers in .h5, .vcf.gz and .tsv: NO"; diff "$work/from_vcf.txt" "$work/from_tsv.txt" | head; exit 1
fi
