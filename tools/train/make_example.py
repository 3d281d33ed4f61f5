#!/usr/bin/python3
"""Write the small real example shipped in data/kaptive-K54/ (for the README's main command).

One HELD-OUT record (not seen in training) of the Kaptive Klebsiella K-locus reference database
(Debian package kaptive-data): K locus K54.  Writes
  K54.fa (+ .fai)   the locus sequence (contig name K54)
  K54.vcf           SNVs in its CDS (fixed-seed sample: 8 synonymous, 8 missense, 8 nonsense, classified
                    with Bio.Seq translation, INFO/CSQ_CLASS and INFO/GENE) plus 3 small indels in CDS
Needs tools/train/cache/data (tools/train/fetch_data.py).
Usage: tools/train/make_example.py [--out data/kaptive-K54]
"""
import argparse
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import evaluate  # noqa: E402

RECORD = "K54"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(HERE, "cache", "data"))
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "kaptive-K54"))
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    contigs, sample, avail, ncds, nrec = evaluate.cds_snvs(os.path.join(a.data, "heldout.gbk"), 54, 8, only=RECORD)
    assert nrec == 1, "K54 must be a held-out record"
    (chrom, seq), = contigs
    fa = os.path.join(a.out, "K54.fa")
    with open(fa, "w") as f:
        f.write(f">{RECORD} Klebsiella pneumoniae K locus K54 (kaptive-data, held out from training)\n")
        f.write("\n".join(seq[i:i + 80] for i in range(0, len(seq), 80)) + "\n")
    subprocess.run(["samtools", "faidx", fa], check=True)
    rows = [(p, r, al, f"CSQ_CLASS={cls};GENE={gene or '.'}") for _, p, r, al, cls, _, gene in sample]
    # three small indels inside CDS codons (frameshift deletion, in-frame deletion, frameshift insertion)
    snv_pos = sorted(p for p, *_ in rows)
    rng = np.random.default_rng(54)
    picks = rng.choice(len(snv_pos), size=3, replace=False)
    for (kind, n), i in zip((("frameshift_deletion", 1), ("inframe_deletion", 3), ("frameshift_insertion", 1)), picks):
        p = int(snv_pos[i]) + 7
        ref = seq[p - 1:p + (n if "deletion" in kind else 0)]
        alt = ref[0] if "deletion" in kind else ref + "A"
        rows.append((p, ref, alt, f"CSQ_CLASS={kind};GENE=."))
    rows.sort()
    with open(os.path.join(a.out, "K54.vcf"), "w") as f:
        f.write("##fileformat=VCFv4.2\n")
        f.write(f"##contig=<ID={RECORD},length={len(seq)}>\n")
        f.write('##INFO=<ID=CSQ_CLASS,Number=1,Type=String,Description="Effect on the CDS: synonymous, missense, '
                'nonsense, frameshift_deletion, inframe_deletion, frameshift_insertion (tools/train/make_example.py)">\n')
        f.write('##INFO=<ID=GENE,Number=1,Type=String,Description="CDS gene name from the GenBank record">\n')
        f.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
        for p, r, al, info in rows:
            f.write(f"{RECORD}\t{p}\t.\t{r}\t{al}\t.\t.\t{info}\n")
    print(f"{a.out}: K54.fa ({len(seq)} bp), K54.vcf ({len(rows)} variants)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
