#!/usr/bin/env bash
# Issue #6 end to end: test the training code, fetch the real DNA (apt-get download), train the default
# model, export it in the Hugging Face layout, evaluate it (held-out MLM vs baselines, and the
# `genomamba score` llr check on held-out coding SNVs), write its MODEL_CARD.md and the data/ example.
# Needs: Debian python3-torch python3-numpy python3-biopython, samtools, build/apps/genomamba (scripts/setup.sh).
# Training runs where DEVICE says: cuda (a GPU and torch >= 2.0; the shipped model was trained so, on one
# H100 in 18 minutes) or cpu (the same recipe; about two days on 2 cores). Default: cuda when torch sees one.
# Usage: tools/train/run_all.sh    (env: MODEL, DEVICE, STEPS, TIME_BUDGET seconds, THREADS, PY)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-/usr/bin/python3}
MODEL=${MODEL:-data/models/caduceus-ph-bacterial-d192-l4}
DEVICE=${DEVICE:-$($PY -c 'import torch; print("cuda" if torch.cuda.is_available() else "cpu")')}
STEPS=${STEPS:-1500}
THREADS=${THREADS:-$(nproc)}
budget=()
[[ -n ${TIME_BUDGET:-} ]] && budget=(--time-budget "$TIME_BUDGET")
$PY tools/train/test_train.py
$PY tools/train/fetch_data.py
$PY tools/train/train.py --device "$DEVICE" --out "$MODEL" --state tools/train/cache/train_state.pt \
    --steps "$STEPS" "${budget[@]}" --threads "$THREADS" --d-model 192 --n-layer 4 --d-state 16 \
    --batch 128 --seq-len 1024 --lr 4e-3 --warmup 50 --seed 0 --eval-every 100
$PY tools/train/homology.py
$PY tools/train/evaluate.py -m "$MODEL" --threads "$THREADS" --per-class 3000
$PY tools/train/make_card.py -m "$MODEL"
$PY tools/train/make_example.py
echo "[run_all] model in $MODEL (MODEL_CARD.md), evaluation in tools/train/cache/eval/eval.json" >&2
