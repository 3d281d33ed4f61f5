#!/usr/bin/python3
"""Regenerate the golden-test fixtures under tests/data/ (deterministic; fixed seeds).

For each fixture NAME:
  tests/data/models/NAME/{config.json, model.safetensors}   random checkpoint (make_checkpoint.py)
  tests/data/golden/NAME.safetensors                        float64 reference outputs stored as F32

Golden file contents (L = sequence length, W = d_model (PH) or 2*d_model (PS), V = padded vocab):
  metadata {"sequence": <input DNA text>, "model": NAME}
  input_ids                  I64 [L]
  hidden_states.<k>          F32 [L, W]    k = 0..n_layer, HF hidden_states indexing (PS: literal [a|b])
  last_hidden_state          F32 [L, W]
  logits                     F32 [L, V]
  fwd.logits_acgt            F32 [L, 4]    logits columns 7, 8, 9, 10
  strand_both.hidden         F32 [L, d_model]   design.md 5 --strand both, final hidden
  strand_both.logits         F32 [L, 4]         --strand both, A C G T
  strand_both.layer1.hidden  F32 [L, d_model]   --strand both of hidden_states[1]

Usage: tools/reference/make_fixtures.py [--root REPO_ROOT] [--only NAME ...]
"""
import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import caduceus_ref as ref  # noqa: E402
import make_checkpoint  # noqa: E402
import safetensors_io  # noqa: E402

TINY = dict(d_model=16, n_layer=2, d_state=4, expand=2, d_conv=4, dt_rank="auto", vocab_size=16,
            pad_vocab_size_multiple=8)
ODD = dict(d_model=24, n_layer=3, d_state=8, expand=1, d_conv=3, dt_rank=5, vocab_size=12,
           pad_vocab_size_multiple=8)

# name: (kind, shape, storage dtype, weight seed, sequence seed, sequence length)
FIXTURES = {
    "ph_tiny": ("ph", TINY, "f32", 101, 201, 160),
    "ps_tiny": ("ps", TINY, "f32", 102, 202, 171),
    "ph_odd": ("ph", ODD, "f32", 103, 203, 183),
    "ps_odd": ("ps", ODD, "f32", 104, 204, 197),
    "ph_f16": ("ph", TINY, "f16", 105, 205, 152),
    "ps_bf16": ("ps", TINY, "bf16", 106, 206, 166),
}
LAYER = 1  # strand_both.layer1.hidden


def make_sequence(seed, length):
    """Random DNA with a lowercase stretch, an N run, scattered IUPAC codes and a few odd characters."""
    rng = np.random.Generator(np.random.PCG64(seed))
    s = list(rng.choice(list("ACGT"), size=length))
    a = int(rng.integers(5, length // 3))  # lowercase stretch
    for i in range(a, a + 25):
        s[i] = s[i].lower()
    b = int(rng.integers(length // 3 + 5, length // 2))  # N run, one lowercase n
    for i in range(b, b + 6):
        s[i] = "N"
    s[b + 3] = "n"
    iupac = "RYSWKMBDHV"
    for j, i in enumerate(rng.choice(np.arange(length // 2 + 5, length - 5), size=6, replace=False)):
        c = iupac[int(rng.integers(len(iupac)))]
        s[int(i)] = c.lower() if j % 2 else c
    odd = ["-", ".", "*", "U", "x"]
    for j, i in enumerate(rng.choice(np.arange(1, length - 1), size=3, replace=False)):
        if s[int(i)] in "ACGTacgt":
            s[int(i)] = odd[(seed + j) % len(odd)]
    s[-1] = "-"
    return "".join(s)


def golden_tensors(model, seq):
    ids = ref.tokenize(seq)
    f = ref.forward(model, ids)
    b = ref.strand_both(model, ids, layer=LAYER, fwd_out=f)
    f32 = lambda x: ("F32", x.numpy().astype(np.float32))
    t = {"input_ids": ("I64", ids.numpy())}
    for k, h in enumerate(f["hidden_states"]):
        t[f"hidden_states.{k}"] = f32(h)
    t["last_hidden_state"] = f32(f["last_hidden_state"])
    t["logits"] = f32(f["logits"])
    t["fwd.logits_acgt"] = f32(f["logits"][:, list(ref.ACGT_IDS)])
    t["strand_both.hidden"] = f32(b["hidden"])
    t["strand_both.logits"] = f32(b["logits"])
    t[f"strand_both.layer{LAYER}.hidden"] = f32(b["layer_hidden"])
    return t


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=os.path.abspath(os.path.join(HERE, "..", "..")), help="repository root")
    ap.add_argument("--only", nargs="*", help="fixture names (default: all)")
    a = ap.parse_args(argv)
    names = a.only or list(FIXTURES)
    gold_dir = os.path.join(a.root, "tests", "data", "golden")
    os.makedirs(gold_dir, exist_ok=True)
    for name in names:
        kind, shape, dtype, wseed, sseed, length = FIXTURES[name]
        mdir = os.path.join(a.root, "tests", "data", "models", name)
        n, e = make_checkpoint.write_checkpoint(mdir, kind, seed=wseed, dtype=dtype, **shape)
        model = ref.load_model(mdir)
        seq = make_sequence(sseed, length)
        gpath = os.path.join(gold_dir, f"{name}.safetensors")
        safetensors_io.save(gpath, golden_tensors(model, seq), metadata={"sequence": seq, "model": name})
        size = os.path.getsize(os.path.join(mdir, "model.safetensors")) + os.path.getsize(gpath)
        print(f"{name}: {kind} {dtype} {n} tensors {e} elements; L={length}; {size / 1024:.1f} KiB; {seq[:40]}...")
    return 0


if __name__ == "__main__":
    sys.exit(main())
