#!/usr/bin/python3
"""Regenerate the small example files under data/ (deterministic; fixed seeds).

  data/models/caduceus-ph-untrained-d64-l4/{config.json, model.safetensors}
      UNTRAINED random Caduceus-PH weights (make_checkpoint.py, seed 64), for smoke-testing only:
      make_checkpoint.py --kind ph --d-model 64 --n-layer 4 --d-state 16 --expand 2 --d-conv 4
                         --dt-rank auto --vocab-size 16 --seed 64 --dtype f32 --out <dir>
  data/example.fa
      3 synthetic random DNA records (2-5 kb) with lowercase (soft-masked-looking) stretches and N runs,
      numpy PCG64 seed 2024.  Not real sequence.

usage: tools/reference/make_example_data.py [--root REPO_ROOT]
"""
import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_checkpoint  # noqa: E402

MODEL_NAME = "caduceus-ph-untrained-d64-l4"
MODEL_ARGS = ["--kind", "ph", "--d-model", "64", "--n-layer", "4", "--d-state", "16", "--expand", "2",
              "--d-conv", "4", "--dt-rank", "auto", "--vocab-size", "16", "--seed", "64", "--dtype", "f32"]
FASTA_SEED = 2024
RECORDS = [("synth1", 2400, "synthetic random DNA, 2 N runs, lowercase stretches"),
           ("synth2", 3600, "synthetic random DNA, leading N run"),
           ("synth3", 5000, "synthetic random DNA, GC-rich middle")]


def make_fasta(path):
    rng = np.random.Generator(np.random.PCG64(FASTA_SEED))
    with open(path, "w") as f:
        for idx, (name, length, desc) in enumerate(RECORDS):
            if idx == 2:  # GC-rich middle third
                p_at, p_gc = [0.3, 0.2, 0.2, 0.3], [0.15, 0.35, 0.35, 0.15]
                n3 = length // 3
                seq = list(rng.choice(list("ACGT"), size=n3, p=p_at)) \
                    + list(rng.choice(list("ACGT"), size=n3, p=p_gc)) \
                    + list(rng.choice(list("ACGT"), size=length - 2 * n3, p=p_at))
            else:
                seq = list(rng.choice(list("ACGT"), size=length))
            for _ in range(3):  # lowercase stretches of 100-400 bp
                a = int(rng.integers(0, length - 400))
                for i in range(a, a + int(rng.integers(100, 400))):
                    seq[i] = seq[i].lower()
            if idx == 1:
                for i in range(0, 150):
                    seq[i] = "N"
            else:
                for _ in range(2):
                    a = int(rng.integers(200, length - 300))
                    for i in range(a, a + int(rng.integers(20, 120))):
                        seq[i] = "N"
            s = "".join(seq)
            f.write(f">{name} {desc}\n")
            for i in range(0, len(s), 60):
                f.write(s[i:i + 60] + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=os.path.abspath(os.path.join(HERE, "..", "..")), help="repository root")
    a = ap.parse_args(argv)
    out = os.path.join(a.root, "data", "models", MODEL_NAME)
    make_checkpoint.main(MODEL_ARGS + ["--out", out])
    make_fasta(os.path.join(a.root, "data", "example.fa"))
    print(f"wrote {out} and {os.path.join(a.root, 'data', 'example.fa')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
