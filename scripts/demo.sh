#!/usr/bin/env bash
# The README's main command: set up and build on a fresh machine, then embed the example FASTA in data/
# with the model shipped in data/models/, and say where the result is and how to read it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
model=data/models/caduceus-ph-untrained-d64-l4
mkdir -p out
build/apps/genomamba embed -m "$model" -i data/example.fa -o out/example.h5 --per-position --logits
cat <<MSG

Wrote out/example.h5 (genomamba-embeddings layout, docs/formats.md):
  /windows/name, /windows/start, /windows/end   one row per window (here one per record: each is shorter
                                                than the default 131,072-bp --window)
  /windows/embedding                            mean embedding of each window
  /positions/embedding, /positions/logits       one row per base (rows of window i start at /windows/offset[i])
Read it with:  python3 -c "import h5py; f = h5py.File('out/example.h5'); print(f['windows/embedding'][:])"
Note: $model is UNTRAINED (random weights, for checking the pipeline); see its README.md.
MSG
