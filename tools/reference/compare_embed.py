#!/usr/bin/python3
"""Check a `genomamba embed` HDF5 output against the float64 reference.

usage: compare_embed.py MODEL_DIR FASTA OUT.h5 [--tol 1e-4] [--layer K] [--strand fwd|both]

Reads /windows/{name,start,end,embedding,offset}, /positions/embedding and /positions/logits (whichever
exist) and the root attribute "strand" ("fwd" or "both"; --strand overrides).  For every window it takes
FASTA[name][start:end], runs caduceus_ref.py, and rebuilds what the engine should have written:
  per-position embedding  fwd:  HF last_hidden_state (PS: 2*d_model, literal [a|b]) or hidden_states[K]
                          both: design.md 5 strand average (d_model wide)
  /windows/embedding      mean over the window's positions of the per-position embedding
  /positions/logits       raw logits for A, C, G, T (ids 7..10); `both`: strand-averaged
The layer K is --layer, else a root attribute "layer" if the file has one, else the final output.
Prints ||out - ref|| / ||ref|| per dataset (over the whole dataset) and exits 0 when all are <= --tol,
1 when any is above, 2 on a structural problem (missing record, shape mismatch, nothing to compare).
"""
import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import caduceus_ref as ref  # noqa: E402


class Reference:
    """Reference outputs per (sequence, strand, layer), with forward passes cached by token ids."""

    def __init__(self, model_dir):
        self.model = ref.load_model(model_dir)
        self._fwd = {}
        self.seconds = 0.0

    def forward(self, m, ids):
        key = ids.numpy().tobytes()
        if key not in self._fwd:
            t = time.time()
            self._fwd[key] = ref.forward(m, ids)
            self.seconds += time.time() - t
        return self._fwd[key]

    def outputs(self, seq, strand, layer):
        """(per-position embedding [L, D], logits [L, 4]) as float64 numpy."""
        ids = ref.tokenize(seq)
        m = self.model
        f = self.forward(m, ids)
        if strand == "fwd":
            emb = f["last_hidden_state"] if layer is None else f["hidden_states"][layer]
            logits = f["logits"][:, list(ref.ACGT_IDS)]
        elif strand == "both":
            b = ref.strand_both(m, ids, layer=layer, fwd_out=f, forward_fn=self.forward)
            emb = b["hidden"] if layer is None else b["layer_hidden"]
            logits = b["logits"]
        else:
            raise ValueError(f"unknown strand {strand!r}")
        return emb.numpy(), logits.numpy()


def rel_err(out, refv):
    out = np.asarray(out, dtype=np.float64)
    refv = np.asarray(refv, dtype=np.float64)
    n = np.linalg.norm(refv)
    d = np.linalg.norm(out - refv)
    return d / n if n > 0 else d


def _str(x):
    return x.decode("utf-8") if isinstance(x, bytes) else str(x)


def compare(model_dir, fasta, h5path, tol=1e-4, layer=None, strand=None, reference=None, log=print):
    """Return the exit code (0 pass, 1 above tolerance, 2 structural problem)."""
    import h5py
    records = dict(ref.read_fasta(fasta))
    reference = reference or Reference(model_dir)
    cfg = reference.model.cfg
    with h5py.File(h5path, "r") as h:
        attrs = dict(h.attrs)
        strand = strand or _str(attrs.get("strand", "fwd"))
        if layer is None and "layer" in attrs:
            layer = int(np.asarray(attrs["layer"]).reshape(-1)[0])
        if layer is not None and not (0 <= layer <= cfg.n_layer):
            log(f"error: layer {layer} out of range 0..{cfg.n_layer}")
            return 2
        if "windows" not in h or "embedding" not in h["windows"]:
            log("error: no /windows/embedding in the file")
            return 2
        names = [_str(x) for x in h["windows/name"][()]]
        starts = h["windows/start"][()].astype(np.int64)
        ends = h["windows/end"][()].astype(np.int64)
        win_emb = h["windows/embedding"][()]
        offsets = h["windows/offset"][()].astype(np.int64) if "offset" in h["windows"] else None
        pos_emb = h["positions/embedding"][()] if "positions" in h and "embedding" in h["positions"] else None
        pos_log = h["positions/logits"][()] if "positions" in h and "logits" in h["positions"] else None
    if (pos_emb is not None or pos_log is not None) and offsets is None:
        log("error: /positions/* present but /windows/offset missing")
        return 2
    W = len(names)
    width = cfg.d_model if strand == "both" else (2 * cfg.d_model if cfg.rcps else cfg.d_model)
    log(f"model {model_dir}: {'PS' if cfg.rcps else 'PH'} d_model={cfg.d_model} n_layer={cfg.n_layer}; "
        f"strand={strand} layer={'final' if layer is None else layer}; {W} windows")
    if win_emb.shape != (W, width):
        log(f"error: /windows/embedding shape {win_emb.shape}, expected {(W, width)}")
        return 2
    ref_win = np.zeros((W, width))
    n_pos = int(max((offsets[i] + ends[i] - starts[i] for i in range(W)), default=0)) if offsets is not None else 0
    ref_pos = np.zeros((n_pos, width)) if pos_emb is not None else None
    ref_log = np.zeros((n_pos, 4)) if pos_log is not None else None
    for i in range(W):
        if names[i] not in records:
            log(f"error: window {i}: record {names[i]!r} not in {fasta}")
            return 2
        s, e = int(starts[i]), int(ends[i])
        seq = records[names[i]][s:e]
        if len(seq) != e - s or e <= s:
            log(f"error: window {i}: {names[i]}:{s}-{e} outside the record (length {len(records[names[i]])})")
            return 2
        emb, logits = reference.outputs(seq, strand, layer)
        ref_win[i] = emb.mean(axis=0)
        if offsets is not None:
            o = int(offsets[i])
            if ref_pos is not None:
                ref_pos[o:o + e - s] = emb
            if ref_log is not None:
                ref_log[o:o + e - s] = logits
    checks = [("windows/embedding", win_emb, ref_win)]
    if pos_emb is not None:
        checks.append(("positions/embedding", pos_emb, ref_pos))
    if pos_log is not None:
        checks.append(("positions/logits", pos_log, ref_log))
    worst = 0.0
    for name, out, r in checks:
        if out.shape != r.shape:
            log(f"error: /{name} shape {out.shape}, expected {r.shape}")
            return 2
        err = rel_err(out, r)
        mad = float(np.max(np.abs(out.astype(np.float64) - r))) if r.size else 0.0
        worst = max(worst, err)
        log(f"  /{name:22s} {str(out.shape):14s} rel_err {err:.3e}  max_abs {mad:.3e}  "
            f"{'ok' if err <= tol else 'FAIL'}")
    log(f"reference forward time {reference.seconds:.1f} s; worst rel_err {worst:.3e} (tol {tol:g})")
    return 0 if worst <= tol else 1


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="checkpoint dir (config.json + model.safetensors)")
    ap.add_argument("fasta", help="the FASTA given to genomamba embed")
    ap.add_argument("h5", help="genomamba embed output")
    ap.add_argument("--tol", type=float, default=1e-4, help="max relative error per dataset (default 1e-4)")
    ap.add_argument("--layer", type=int, default=None, help="the --layer K given to genomamba embed")
    ap.add_argument("--strand", choices=["fwd", "both"], default=None, help="override the file's strand attribute")
    a = ap.parse_args(argv)
    torch.set_grad_enabled(False)
    return compare(a.model, a.fasta, a.h5, a.tol, a.layer, a.strand)


if __name__ == "__main__":
    sys.exit(main())
