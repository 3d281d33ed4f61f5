#!/usr/bin/env bash
# Issue #16, the part that needs no GPU, end to end: fetch the genome packages (apt-get download), deduplicate,
# split by genus (tools/train/cache/genomes/), and evaluate MODEL on both held-out sets separately
# (tools/train/cache/eval/genomes_*.json, merged into genomes_eval.json; markdown tables in genomes_tables.md).
# MODEL_TRAIN: the training split MODEL saw (its 31-mer overlap with the held-out sets, and a second k-mer
# baseline counted on it); default fetch_data.py's split, which the current default model was trained on.
# Single-threaded and niced.  Usage: tools/train/run_genomes.sh
# (env: MODEL, MODEL_TRAIN, GENOMAMBA, WINDOW, PER_CLASS, WINDOWS, PY)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-/usr/bin/python3}
MODEL=${MODEL:-data/models/caduceus-ph-bacterial-d192-l4}
MODEL_TRAIN=${MODEL_TRAIN:-tools/train/cache/data/train.npz}
GENOMAMBA=${GENOMAMBA:-build/apps/genomamba}
export OMP_NUM_THREADS=1
[[ -f tools/train/cache/genomes/train.npz ]] || nice -n 19 $PY tools/train/genomes.py
[[ -f $MODEL_TRAIN || $MODEL_TRAIN != tools/train/cache/data/train.npz ]] || nice -n 19 $PY tools/train/fetch_data.py
EV=(nice -n 19 $PY tools/train/evaluate_genomes.py -m "$MODEL" --model-train "$MODEL_TRAIN")
"${EV[@]}" --part overlap
"${EV[@]}" --part mlm --windows "${WINDOWS:-200}" --kmax 8
"${EV[@]}" --part bio --genomamba "$GENOMAMBA" --window "${WINDOW:-512}" --per-class "${PER_CLASS:-3000}"
"${EV[@]}" --summarize --tables tools/train/cache/eval/genomes_tables.md
