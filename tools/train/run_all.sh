#!/usr/bin/env bash
# Issue #6 end to end, on the CPU: test the training code, fetch the real DNA (apt-get download), train
# the default model, export it in the Hugging Face layout, evaluate it (held-out MLM vs baselines, and the
# `genomamba score` llr check on held-out coding SNVs), write its MODEL_CARD.md and the data/ example.
# Needs: Debian python3-torch python3-numpy python3-biopython, samtools, build/apps/genomamba (scripts/setup.sh).
# Usage: tools/train/run_all.sh    (env: MODEL, STEPS, TIME_BUDGET seconds, THREADS)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
MODEL=${MODEL:-data/models/caduceus-ph-bacterial-d128-l4}
STEPS=${STEPS:-300}
TIME_BUDGET=${TIME_BUDGET:-1140}
THREADS=${THREADS:-$(nproc)}
$PY tools/train/test_train.py
$PY tools/train/fetch_data.py
$PY tools/train/train.py --out "$MODEL" --steps "$STEPS" --time-budget "$TIME_BUDGET" --threads "$THREADS" \
    --d-model 128 --n-layer 4 --d-state 16 --batch 8 --seq-len 1024 --lr 4e-3 --seed 0 --eval-every 50
$PY tools/train/evaluate.py -m "$MODEL" --threads "$THREADS" --per-class 800
$PY tools/train/make_card.py -m "$MODEL"
$PY tools/train/make_example.py
echo "[run_all] model in $MODEL (MODEL_CARD.md), evaluation in tools/train/cache/eval/eval.json" >&2
