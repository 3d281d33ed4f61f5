#!/usr/bin/python3
"""How much of the held-out set also occurs in the training set (issue #6's model card caveat).

Capsule loci share conserved genes, so held-out records are not homology-free even though the split is by
record. This measures it: the fraction of held-out K-mers (default 31; A/C/G/T only) that occur in a
training record on either strand, and the fraction of held-out bases covered by at least one such shared
K-mer. Writes OUT/homology.json.

Usage: tools/train/homology.py [--data tools/train/cache/data] [--out tools/train/cache/eval] [-k 31]
"""
import argparse
import json
import os
import sys

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mlm  # noqa: E402

CODE = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate("ACGT"):
    CODE[ord(_c)] = _i


def kmers(seq, k):
    """(start positions, 2-bit codes) of the A/C/G/T-only k-mers of seq."""
    c = CODE[np.frombuffer(seq.upper().encode("ascii"), dtype=np.uint8)]
    if len(c) < k:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    win = sliding_window_view(c, k)
    ok = (win >= 0).all(axis=1)
    powers = (4 ** np.arange(k - 1, -1, -1, dtype=np.uint64)).astype(np.uint64)
    codes = (win[ok].astype(np.uint64) * powers).sum(axis=1, dtype=np.uint64)
    return np.nonzero(ok)[0], codes


def revcomp(seq):
    return seq.upper().translate(str.maketrans("ACGT", "TGCA"))[::-1]


def training_kmers(train, k=31):
    """Sorted unique codes of the k-mers of the training records, both strands."""
    return np.unique(np.concatenate([kmers(s, k)[1] for _, s in train] +
                                    [kmers(revcomp(s), k)[1] for _, s in train]))


def shared_coverage(seen, held, k=31):
    """Per held-out record: (bool array, True at bases covered by a k-mer in `seen` (training_kmers);
    number of held-out k-mers; number of them shared)."""
    out = []
    for _, s in held:
        starts, codes = kmers(s, k)
        shared = np.isin(codes, seen)
        edges = np.zeros(len(s) + 1, dtype=np.int64)  # +1 at a shared k-mer's start, -1 after its end
        np.add.at(edges, starts[shared], 1)
        np.add.at(edges, starts[shared] + k, -1)
        out.append((np.cumsum(edges)[:len(s)] > 0, len(codes), int(shared.sum())))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(HERE, "cache", "data"))
    ap.add_argument("--out", default=os.path.join(HERE, "cache", "eval"))
    ap.add_argument("-k", type=int, default=31)
    a = ap.parse_args(argv)
    train = mlm.load_split(os.path.join(a.data, "train.npz"))
    held = mlm.load_split(os.path.join(a.data, "heldout.npz"))
    cov = shared_coverage(training_kmers(train, a.k), held, a.k)
    n_kmers, n_shared = sum(c[1] for c in cov), sum(c[2] for c in cov)
    n_bases, n_covered = sum(len(c[0]) for c in cov), sum(int(c[0].sum()) for c in cov)
    res = {"k": a.k, "heldout_kmers": n_kmers, "shared_kmer_fraction": n_shared / n_kmers,
           "heldout_bases": n_bases, "covered_base_fraction": n_covered / n_bases}
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "homology.json"), "w") as f:
        json.dump(res, f, indent=1)
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
