#!/usr/bin/python3
"""Fetch the real training DNA from Debian packages and split it by record (issue #6).

  apt-get download kaptive-data unicycler-data     (into CACHE/debs; no root needed for download)
  dpkg-deb -x                                        (into CACHE/root)
  Bio.SeqIO parses the GenBank (.gbk, with CDS annotations) and FASTA files.

Each record goes to the held-out set when sha256("<package>/<file>/<record id>") mod 1000 < 1000 * heldout
(default 10 %), otherwise to training: deterministic, independent of file order.  Writes to OUT
(default tools/train/cache/data):
  train.fa, heldout.fa        one FASTA record per source record, name "<source tag>|<record id>"
  train.npz, heldout.npz      the same records as numpy arrays (mlm.save_split), read by train.py/evaluate.py
  heldout.gbk                 the held-out GenBank records (with their CDS features) for evaluate.py
  manifest.json               per-record provenance (package, version, file, record id, length, #CDS, split),
                              the packages' copyright files (licences) and the split rule
  copyright/<package>         /usr/share/doc/<package>/copyright from each .deb

Usage: tools/train/fetch_data.py [--cache tools/train/cache] [--heldout 0.1]
"""
import argparse
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys

from Bio import SeqIO

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mlm  # noqa: E402

PACKAGES = ["kaptive-data", "unicycler-data"]
# (package, path inside the package, format, short tag)
SOURCES = [
    ("kaptive-data", "usr/share/kaptive/reference_database/Klebsiella_k_locus_primary_reference.gbk", "genbank", "kleb_K"),
    ("kaptive-data", "usr/share/kaptive/reference_database/Klebsiella_o_locus_primary_reference.gbk", "genbank", "kleb_O"),
    ("kaptive-data", "usr/share/kaptive/reference_database/Acinetobacter_baumannii_k_locus_primary_reference.gbk", "genbank", "acin_K"),
    ("kaptive-data", "usr/share/kaptive/reference_database/Acinetobacter_baumannii_OC_locus_primary_reference.gbk", "genbank", "acin_OC"),
    ("unicycler-data", "usr/share/unicycler-data/sample_data/reference.fasta", "fasta", "shigella_plasmid"),
]
# Not used: Klebsiella_k_locus_variant_reference.gbk holds near-identical variants of the primary K loci
# (same locus names), which would put copies of held-out loci into training (or the reverse).


def sh(cmd, **kw):
    print("[fetch] " + " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, **kw)


def fetch(cache):
    debs = os.path.join(cache, "debs")
    root = os.path.join(cache, "root")
    os.makedirs(debs, exist_ok=True)
    versions = {}
    for pkg in PACKAGES:
        have = sorted(glob.glob(os.path.join(debs, f"{pkg}_*.deb")))
        if not have:
            try:
                sh(["apt-get", "download", pkg], cwd=debs)
            except subprocess.CalledProcessError:
                sh(["apt-get", "update", "-qq"])
                sh(["apt-get", "download", pkg], cwd=debs)
            have = sorted(glob.glob(os.path.join(debs, f"{pkg}_*.deb")))
        deb = have[-1]
        ver = subprocess.run(["dpkg-deb", "-f", deb, "Version"], check=True, capture_output=True,
                             text=True).stdout.strip()
        sha = hashlib.sha256(open(deb, "rb").read()).hexdigest()
        versions[pkg] = {"version": ver, "deb": os.path.basename(deb), "sha256": sha}
        sh(["dpkg-deb", "-x", deb, root])
    return root, versions


def split_of(pkg, path, rid, frac):
    h = int(hashlib.sha256(f"{pkg}/{os.path.basename(path)}/{rid}".encode()).hexdigest(), 16)
    return "heldout" if h % 1000 < int(round(1000 * frac)) else "train"


def copy_licences(root, packages, out):
    """Copies each package's debian/copyright into out/copyright/ and returns its License: names."""
    licences = {}
    for pkg in packages:
        src = os.path.join(root, "usr/share/doc", pkg, "copyright")
        shutil.copy(src, os.path.join(out, "copyright", pkg))
        text = open(src).read()
        licences[pkg] = sorted({l.split(":", 1)[1].strip() for l in text.splitlines() if l.startswith("License:")})
    return licences


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", default=os.path.join(HERE, "cache"))
    ap.add_argument("--out", default=None, help="default CACHE/data")
    ap.add_argument("--heldout", type=float, default=0.10)
    a = ap.parse_args(argv)
    out = a.out or os.path.join(a.cache, "data")
    os.makedirs(os.path.join(out, "copyright"), exist_ok=True)
    root, versions = fetch(a.cache)
    licences = copy_licences(root, PACKAGES, out)
    records = []
    fa = {"train": open(os.path.join(out, "train.fa"), "w"), "heldout": open(os.path.join(out, "heldout.fa"), "w")}
    held_gbk = []
    arrays = {"train": [], "heldout": []}
    for pkg, path, fmt, tag in SOURCES:
        for rec in SeqIO.parse(os.path.join(root, path), fmt):
            seq = str(rec.seq).upper()
            split = split_of(pkg, path, rec.id, a.heldout)
            ncds = sum(1 for f in rec.features if f.type == "CDS")
            name = f"{tag}|{rec.id}"
            records.append({"name": name, "package": pkg, "version": versions[pkg]["version"], "file": "/" + path,
                            "record_id": rec.id, "description": rec.description, "length": len(seq),
                            "n_cds": ncds, "non_acgt": sum(1 for c in seq if c not in "ACGT"), "split": split})
            arrays[split].append((name, seq))
            fa[split].write(f">{name}\n")
            for i in range(0, len(seq), 80):
                fa[split].write(seq[i:i + 80] + "\n")
            if split == "heldout" and fmt == "genbank":
                rec.annotations.setdefault("molecule_type", "DNA")
                rec.description = name  # keeps the source tag with the record
                held_gbk.append(rec)
    for f in fa.values():
        f.close()
    for split, recs in arrays.items():
        mlm.save_split(os.path.join(out, split + ".npz"), recs)
    SeqIO.write(held_gbk, os.path.join(out, "heldout.gbk"), "genbank")
    summary = {}
    for s in ("train", "heldout"):
        rs = [r for r in records if r["split"] == s]
        summary[s] = {"records": len(rs), "bases": sum(r["length"] for r in rs), "cds": sum(r["n_cds"] for r in rs)}
    manifest = {"packages": versions, "licences": licences,
                "split_rule": f"heldout iff sha256('<package>/<file basename>/<record id>') mod 1000 < "
                              f"{int(round(1000 * a.heldout))}",
                "summary": summary, "records": records}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(json.dumps(summary), file=sys.stderr)
    if summary["heldout"]["cds"] == 0:
        sys.exit("held-out set has no CDS-annotated record")
    return 0


if __name__ == "__main__":
    sys.exit(main())
