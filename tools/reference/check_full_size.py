#!/usr/bin/python3
"""Full-size check of a genomamba binary against the float64 reference.

usage: check_full_size.py GENOMAMBA_BINARY [--workdir DIR] [--length 4096] [--tol 1e-4] [--kinds ph ps]
       check_full_size.py --reference-only     (build the checkpoints and time the reference; no binary)

1. Creates random PH and PS checkpoints of the published size (d_model 256, n_layer 16, d_state 16,
   expand 2, d_conv 4, dt_rank auto, vocab 16) with make_checkpoint.py and asserts the published tensor
   counts: PH 274 tensors / 7,725,312 parameters, PS 276 tensors / 7,725,344 elements (spec 4.3).
2. Writes a random 4,096-bp FASTA (one record; a lowercase stretch and a short N run).
3. Runs `BINARY embed -m DIR -i FA -o OUT.h5 --per-position --logits --strand fwd` and `--strand both`
   for each kind, and compare_embed.py on each output.
Exit status 0 when every comparison passes.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import caduceus_ref as ref  # noqa: E402
import compare_embed  # noqa: E402
import make_checkpoint  # noqa: E402
import safetensors_io  # noqa: E402

FULL = dict(d_model=256, n_layer=16, d_state=16, expand=2, d_conv=4, dt_rank="auto", vocab_size=16,
            pad_vocab_size_multiple=8)
EXPECTED = {"ph": (274, 7_725_312), "ps": (276, 7_725_344)}
SEEDS = {"ph": 7001, "ps": 7002}


def make_full(workdir, kind):
    d = os.path.join(workdir, f"{kind}_full")
    n, e = make_checkpoint.write_checkpoint(d, kind, seed=SEEDS[kind], **FULL)
    t = safetensors_io.load(os.path.join(d, "model.safetensors"))
    assert (n, e) == EXPECTED[kind] == (len(t), sum(v.size for v in t.values())), (kind, n, e)
    return d


def write_fasta(path, length, seed=4096):
    rng = np.random.Generator(np.random.PCG64(seed))
    s = list(rng.choice(list("ACGT"), size=length))
    for i in range(length * 1000 // 4096, length * 1300 // 4096):  # lowercase stretch
        s[i] = s[i].lower()
    for i in range(length * 2500 // 4096, length * 2520 // 4096):  # N run
        s[i] = "N"
    seq = "".join(s)
    with open(path, "w") as f:
        f.write(">rand4096 synthetic random sequence\n")
        for i in range(0, len(seq), 60):
            f.write(seq[i:i + 60] + "\n")
    return seq


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary", nargs="?", help="path to the genomamba executable")
    ap.add_argument("--workdir", help="keep files here (default: a temporary directory, removed)")
    ap.add_argument("--length", type=int, default=4096)
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--kinds", nargs="+", default=["ph", "ps"], choices=["ph", "ps"])
    ap.add_argument("--extra", nargs=argparse.REMAINDER, default=[],
                    help="extra arguments for `genomamba embed` (e.g. --device cuda -@ 4)")
    ap.add_argument("--reference-only", action="store_true", help="no binary: time the reference only")
    a = ap.parse_args(argv)
    if not a.reference_only and not a.binary:
        ap.error("the genomamba binary path is required (or --reference-only)")
    tmp = None
    if a.workdir:
        os.makedirs(a.workdir, exist_ok=True)
        work = a.workdir
    else:
        tmp = tempfile.TemporaryDirectory(prefix="gm_full_")
        work = tmp.name
    fasta = os.path.join(work, "rand4096.fa")
    seq = write_fasta(fasta, a.length)
    status = 0
    for kind in a.kinds:
        t = time.time()
        mdir = make_full(work, kind)
        print(f"{kind}: checkpoint {mdir} ok: {EXPECTED[kind][0]} tensors, {EXPECTED[kind][1]:,} elements "
              f"({time.time() - t:.1f} s)", flush=True)
        reference = compare_embed.Reference(mdir)
        if a.reference_only:
            for strand in ("fwd", "both"):
                t = time.time()
                reference.outputs(seq, strand, None)
                print(f"{kind} --strand {strand}: reference {time.time() - t:.1f} s wall "
                      f"(L={a.length}, cumulative forward {reference.seconds:.1f} s)", flush=True)
            continue
        for strand in ("fwd", "both"):
            out = os.path.join(work, f"{kind}_{strand}.h5")
            if os.path.exists(out):
                os.remove(out)
            cmd = [a.binary, "embed", "-m", mdir, "-i", fasta, "-o", out, "--per-position", "--logits",
                   "--strand", strand] + a.extra
            print("+ " + " ".join(cmd), flush=True)
            t = time.time()
            rc = subprocess.run(cmd).returncode
            print(f"  genomamba exit {rc} in {time.time() - t:.1f} s", flush=True)
            if rc != 0 or not os.path.exists(out):
                print(f"FAIL {kind} {strand}: genomamba failed")
                status = 1
                continue
            rc = compare_embed.compare(mdir, fasta, out, tol=a.tol, reference=reference)
            print(f"{'ok' if rc == 0 else 'FAIL'} {kind} --strand {strand}", flush=True)
            status = status or rc
    if tmp is not None:
        tmp.cleanup()
    print("PASS" if status == 0 else "FAILED")
    return status


if __name__ == "__main__":
    sys.exit(main())
