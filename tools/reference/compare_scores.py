#!/usr/bin/env python3
"""Checks a `genomamba score` TSV output against the float64 reference (score_ref.py).

  compare_scores.py OUT.tsv -m MODEL -f REF.fa --window W --strand fwd|both [--tol 1e-4]

For every row, the status must equal the reference's; for every score column of a status-0 row, both must
be undefined (NA / null) or agree to a relative error <= tol (|out - ref| / max(|ref|, 1e-3); the floor
keeps scores near zero, such as emb_cos of a tiny change, from failing on rounding alone). Prints the
worst error per score. Exit 0 pass, 1 above tolerance or a mismatch, 2 structural problem.
"""
import argparse
import csv
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import caduceus_ref as ref  # noqa: E402
import score_ref  # noqa: E402

SCORES = ("llr", "wt_llr", "emb_cos", "emb_l2")


def read_tsv(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    if not rows:
        raise SystemExit(f"{path}: no rows")
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tsv")
    ap.add_argument("-m", "--model", required=True)
    ap.add_argument("-f", "--fasta", required=True)
    ap.add_argument("--window", type=int, required=True)
    ap.add_argument("--strand", choices=("fwd", "both"), required=True)
    ap.add_argument("--tol", type=float, default=1e-4)
    a = ap.parse_args(argv)

    rows = read_tsv(a.tsv)
    scores = [s for s in SCORES if s in rows[0]]
    if not scores:
        print(f"{a.tsv}: no score columns", file=sys.stderr)
        return 2
    contigs = dict(ref.read_fasta(a.fasta))
    variants = [(r["chrom"], int(r["pos"]), r["ref"], r["alt"]) for r in rows]
    expected = score_ref.score_variants(a.model, contigs, variants, a.window, a.strand, scores)
    worst = {s: 0.0 for s in scores}
    compared = {s: 0 for s in scores}
    failures = []
    for row, exp in zip(rows, expected):
        where = f"{row['chrom']}:{row['pos']} {row['ref']}>{row['alt']}"
        if int(row["status"]) != exp["status"]:
            failures.append(f"{where}: status {row['status']}, reference {exp['status']}")
            continue
        for s in scores:
            got = None if row[s] == "NA" else float(row[s])
            want = exp.get(s)
            if got is None or want is None or (isinstance(want, float) and math.isnan(want)):
                if (got is None) != (want is None or math.isnan(want)):
                    failures.append(f"{where}: {s} {row[s]}, reference {want}")
                continue
            err = abs(got - want) / max(abs(want), 1e-3)
            compared[s] += 1
            worst[s] = max(worst[s], err)
            if err > a.tol:
                failures.append(f"{where}: {s} {got} vs reference {want} (relative error {err:.2e})")
    for s in scores:
        print(f"{s}: {compared[s]} values, worst relative error {worst[s]:.2e}")
    for line in failures:
        print("FAIL " + line)
    if sum(compared.values()) == 0:
        print("no values compared", file=sys.stderr)
        return 2
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
