#!/usr/bin/python3
"""Whole-genome training data from Debian packages, deduplicated across strains, split by genus (issue #16).

  apt-get download kleborate-examples ragout-examples sibelia-examples kaptive-data unicycler-data
                                  (into CACHE/debs, shared with fetch_data.py)
  dpkg-deb -x                     (into CACHE/root)

What the packages contain (checked on kleborate-examples 2.3.1-2, ragout-examples 2.3-4, sibelia-examples
3.0.7+dfsg-3): FASTA only, no annotation.  kleborate: 4 complete Klebsiella pneumoniae genomes (.fna.xz,
chromosome + plasmids); ragout: complete references of E. coli (2), V. cholerae (4, two chromosomes each),
S. aureus (5), H. pylori (5) plus one draft contig set per species (.fasta.gz); sibelia: S. aureus
NCTC8325 + RN4220 (draft contigs) and two multi-genome files (S. aureus JH1/N315/TW20/MSSA476, H. pylori
F32/Gambia94/24).  kaptive-data (GenBank, with CDS) and unicycler-data (FASTA) as in fetch_data.py.

Genus: the first word of the record's description when it is "<Genus> <species>" (e.g. "Klebsiella
pneumoniae subsp. ..."), else the genus of the package folder (ragout's E.Coli/H.Pylori/..., whose draft
contigs and MG1655-K12 have bare names).  Both are recorded per record in the manifest.

Deduplication (per genus, greedy, genome level): a genome is a file, or one record of sibelia's multi-genome
files.  Complete genomes first, in the order of GENOMES, then drafts; a genome is DROPPED when at least
--dedup (default 0.95) of its canonical 31-mers (A/C/G/T only, either strand) already occur in the genomes
of its genus kept before it.  The full containment matrix is written to dedup.json.

Split:
  heldout_genera   every kept genome of --heldout-genera (default Vibrio, Helicobacter), all records.
  heldout_records  per training genus with complete genomes (Klebsiella, Escherichia, Staphylococcus): one
                   contiguous block of --block (default 10 %) of the chromosome of the last kept complete
                   genome, at an offset fixed by sha256(genus).
  train            everything else (kept genomes of the training genera minus the blocks, kaptive-data loci,
                   unicycler-data plasmids) with every base covered by a 31-mer that occurs (either strand)
                   in either held-out set cut out ("homology cut": orthologs of the held-out blocks in the
                   other strains, rRNA operons, ...); pieces shorter than --min-piece (1,024, the training
                   window) are dropped.  So no training 31-mer occurs in a held-out set; the overlap BEFORE the
                   cut is reported as well.
Writes to OUT (default CACHE/genomes): {train,heldout_genera,heldout_records,heldout}.{fa,npz}
(heldout = both held-out sets, what train.py evaluates on), manifest.json (per-record provenance: package,
version, file, record id, genus and how it was assigned, length, split, pieces), dedup.json, overlap.json,
copyright/<package>.

Usage: tools/train/genomes.py [--cache tools/train/cache] [--out DIR] [--dedup 0.95] [--block 0.10]
"""
import argparse
import gzip
import hashlib
import json
import lzma
import os
import re
import sys
import time

import numpy as np
from Bio import SeqIO

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fetch_data  # noqa: E402
import mlm  # noqa: E402

PACKAGES = ["kleborate-examples", "ragout-examples", "sibelia-examples", "kaptive-data", "unicycler-data"]
K = 31
_R = "usr/share/doc/ragout/examples/"
_S = "usr/share/doc/sibelia/examples/"
_K = "usr/share/doc/kleborate/examples/data/"
# (package, path, unit: one genome per "file" or per "record", folder genus, complete|draft)
GENOMES = [
    ("kleborate-examples", _K + "Klebs_HS11286.fna.xz", "file", "Klebsiella", "complete"),
    ("kleborate-examples", _K + "MGH78578.fna.xz", "file", "Klebsiella", "complete"),
    ("kleborate-examples", _K + "NTUH-K2044.fna.xz", "file", "Klebsiella", "complete"),
    ("kleborate-examples", _K + "Klebs_Kp1084.fna.xz", "file", "Klebsiella", "complete"),
    ("ragout-examples", _R + "E.Coli/references/MG1655-K12.fasta.gz", "file", "Escherichia", "complete"),
    ("ragout-examples", _R + "E.Coli/references/DH1.fasta.gz", "file", "Escherichia", "complete"),
    ("ragout-examples", _R + "E.Coli/mg1655_contigs.fasta.gz", "file", "Escherichia", "draft"),
    ("ragout-examples", _R + "S.Aureus/references/COL.fasta.gz", "file", "Staphylococcus", "complete"),
    ("ragout-examples", _R + "S.Aureus/references/JKD6008.fasta.gz", "file", "Staphylococcus", "complete"),
    ("ragout-examples", _R + "S.Aureus/references/N315.fasta.gz", "file", "Staphylococcus", "complete"),
    ("ragout-examples", _R + "S.Aureus/references/RF122.fasta.gz", "file", "Staphylococcus", "complete"),
    ("ragout-examples", _R + "S.Aureus/references/USA300_FPR3757.fasta.gz", "file", "Staphylococcus", "complete"),
    ("sibelia-examples", _S + "C-Sibelia/Staphylococcus_aureus/NCTC8325.fasta.gz", "file", "Staphylococcus", "complete"),
    ("sibelia-examples", _S + "Sibelia/Staphylococcus_aureus/Staphylococcus.fasta.gz", "record", "Staphylococcus", "complete"),
    ("ragout-examples", _R + "S.Aureus/usa300_contigs.fasta.gz", "file", "Staphylococcus", "draft"),
    ("sibelia-examples", _S + "C-Sibelia/Staphylococcus_aureus/RN4220.fasta.gz", "file", "Staphylococcus", "draft"),
    ("ragout-examples", _R + "V.Cholerae/references/O1_biovar.fasta.gz", "file", "Vibrio", "complete"),
    ("ragout-examples", _R + "V.Cholerae/references/O395.fasta.gz", "file", "Vibrio", "complete"),
    ("ragout-examples", _R + "V.Cholerae/references/H1.fasta.gz", "file", "Vibrio", "complete"),
    ("ragout-examples", _R + "V.Cholerae/references/O1_Inaba.fasta.gz", "file", "Vibrio", "complete"),
    ("ragout-examples", _R + "V.Cholerae/h1_contigs.fasta.gz", "file", "Vibrio", "draft"),
    ("ragout-examples", _R + "H.Pylori/references/ELS37.fasta.gz", "file", "Helicobacter", "complete"),
    ("ragout-examples", _R + "H.Pylori/references/G27.fasta.gz", "file", "Helicobacter", "complete"),
    ("ragout-examples", _R + "H.Pylori/references/Gambia94_24.fasta.gz", "file", "Helicobacter", "complete"),
    ("ragout-examples", _R + "H.Pylori/references/Puno120.fasta.gz", "file", "Helicobacter", "complete"),
    ("ragout-examples", _R + "H.Pylori/references/SJM180.fasta.gz", "file", "Helicobacter", "complete"),
    ("sibelia-examples", _S + "Sibelia/Helicobacter_pylori/Helicobacter_pylori.fasta.gz", "record", "Helicobacter", "complete"),
    ("ragout-examples", _R + "H.Pylori/SJM180_contigs.fasta.gz", "file", "Helicobacter", "draft"),
]
# Loci used for training only (as in fetch_data.py); genus from the description / file name.
LOCI = [(p, path, fmt, tag, {"kleb": "Klebsiella", "acin": "Acinetobacter", "shigella": "Shigella"}[tag.split("_")[0]])
        for p, path, fmt, tag in fetch_data.SOURCES]

_ENC = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate("ACGT"):
    _ENC[ord(_c)] = _i


def canonical_kmers(seq, k=K):
    """(start positions, canonical 2-bit codes = min(forward, reverse complement)) of the A/C/G/T-only
    k-mers of seq: a k-mer occurs in a set of sequences on either strand iff its canonical code does."""
    c = _ENC[np.frombuffer(seq.encode("ascii"), dtype=np.uint8)]
    n = len(c) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    bad = np.concatenate([[0], np.cumsum(c < 0)])
    ok = (bad[k:] - bad[:-k]) == 0
    cc = np.maximum(c, 0).astype(np.uint64)
    fw = np.zeros(n, dtype=np.uint64)
    rv = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        fw = fw * np.uint64(4) + cc[j:j + n]
        rv = rv + (np.uint64(3) - cc[j:j + n]) * np.uint64(4 ** j)
    can = np.minimum(fw, rv)
    return np.nonzero(ok)[0], can[ok]


def kmer_set(seqs, k=K):
    parts = [canonical_kmers(s, k)[1] for s in seqs]
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.uint64)


def member(codes, sorted_set):
    if len(sorted_set) == 0:
        return np.zeros(len(codes), dtype=bool)
    i = np.clip(np.searchsorted(sorted_set, codes), 0, len(sorted_set) - 1)
    return sorted_set[i] == codes


def covered(seq, sorted_set, k=K):
    """(bool per base: covered by a k-mer in the set; #k-mers; #shared) -- homology.shared_coverage's measure."""
    starts, codes = canonical_kmers(seq, k)
    sh = member(codes, sorted_set)
    edges = np.zeros(len(seq) + 1, dtype=np.int64)
    np.add.at(edges, starts[sh], 1)
    np.add.at(edges, starts[sh] + k, -1)
    return np.cumsum(edges)[:len(seq)] > 0, len(codes), int(sh.sum())


def overlap(held, sorted_set, k=K):
    """homology.py's measure: fraction of held-out k-mers (either strand) found in the set, and of held-out
    bases covered by such a k-mer."""
    nk = ns = nb = nc = 0
    for s in held:
        cov, a, b = covered(s, sorted_set, k)
        nk, ns, nb, nc = nk + a, ns + b, nb + len(s), nc + int(cov.sum())
    return {"k": k, "heldout_kmers": nk, "shared_kmer_fraction": ns / max(nk, 1), "heldout_bases": nb,
            "covered_base_fraction": nc / max(nb, 1)}


def read_records(path, fmt="fasta"):
    op = lzma.open if path.endswith(".xz") else gzip.open if path.endswith(".gz") else open
    with op(path, "rt") as f:
        return list(SeqIO.parse(f, fmt))


def genus_of(desc, folder_genus):
    words = desc.split()
    for i in range(len(words) - 1):
        if re.fullmatch(r"[A-Z][a-z]{3,}", words[i]) and re.fullmatch(r"[a-z]{3,}\.?", words[i + 1]):
            return words[i], "description"
    return folder_genus, "package folder"


def strain_of(rec_desc, path):
    m = re.search(r"(?:aureus|pneumoniae|pylori|cholerae|coli)\s+(?:subsp\. \w+\s+)?(?:str\.\s+)?"
                  r"(.*?)(?:,| chromosome| DNA| plasmid|$)", rec_desc)
    return m.group(1).strip() if m else os.path.basename(path).split(".")[0]


def clean_id(rid):
    m = re.search(r"\|(?:ref|gb)\|([^|]+)\|", rid)
    return m.group(1) if m else rid


def write_fa(path, recs):
    with open(path, "w") as f:
        for name, s in recs:
            f.write(f">{name}\n")
            for i in range(0, len(s), 80):
                f.write(s[i:i + 80] + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", default=os.path.join(HERE, "cache"))
    ap.add_argument("--out", default=None, help="default CACHE/genomes")
    ap.add_argument("--dedup", type=float, default=0.95)
    ap.add_argument("--block", type=float, default=0.10)
    ap.add_argument("--min-piece", type=int, default=1024)
    ap.add_argument("--heldout-genera", default="Vibrio,Helicobacter")
    a = ap.parse_args(argv)
    t0 = time.time()
    out = a.out or os.path.join(a.cache, "genomes")
    os.makedirs(os.path.join(out, "copyright"), exist_ok=True)
    fetch_data.PACKAGES = PACKAGES
    root, versions = fetch_data.fetch(a.cache)
    licences = fetch_data.copy_licences(root, PACKAGES, out)
    held_genera = a.heldout_genera.split(",")

    # ---- genomes (units of deduplication)
    genomes = []
    for pkg, path, unit, fgenus, kind in GENOMES:
        recs = read_records(os.path.join(root, path))
        groups = [[r] for r in recs] if unit == "record" else [recs]
        for g in groups:
            rows = []
            for r in g:
                genus, how = genus_of(r.description, fgenus)
                rows.append({"id": clean_id(r.id), "description": r.description, "genus": genus,
                             "genus_from": how, "seq": str(r.seq).upper()})
            genera = {r["genus"] for r in rows}
            assert genera == {fgenus}, (path, genera)
            strain = strain_of(g[0].description, path) if kind == "complete" else os.path.basename(path).split(".")[0]
            genomes.append({"package": pkg, "file": "/" + path, "genus": fgenus, "kind": kind, "strain": strain,
                            "records": rows, "bases": sum(len(r["seq"]) for r in rows)})
    print(f"[genomes] {len(genomes)} genomes read ({time.time() - t0:.0f} s)", file=sys.stderr, flush=True)
    sets = [kmer_set([r["seq"] for r in g["records"]]) for g in genomes]
    matrix = {}
    for gi, g in enumerate(genomes):
        kept_union = np.zeros(0, dtype=np.uint64)
        same = [hi for hi, h in enumerate(genomes[:gi]) if h["genus"] == g["genus"] and h.get("kept")]
        if same:
            kept_union = np.unique(np.concatenate([sets[hi] for hi in same]))
        g["containment_in_kept"] = float(member(sets[gi], kept_union).mean()) if len(kept_union) else 0.0
        g["kept"] = g["containment_in_kept"] < a.dedup
        matrix[g["strain"] + " (" + g["genus"] + ")"] = {
            h["strain"]: round(float(member(sets[gi], sets[hi]).mean()), 4)
            for hi, h in enumerate(genomes) if h["genus"] == g["genus"] and hi != gi}
        print(f"[genomes] {g['genus']:15s} {g['strain']:28s} {g['kind']:8s} {g['bases'] / 1e6:6.2f} Mbp  "
              f"in kept: {g['containment_in_kept']:.3f} -> {'kept' if g['kept'] else 'DROPPED'}",
              file=sys.stderr, flush=True)
    del sets

    # ---- split
    held_g, held_r, train_raw, manifest_recs = [], [], [], []

    def rec_entry(g, r, split, **kw):
        e = {"name": None, "package": g["package"], "version": versions[g["package"]]["version"], "file": g["file"],
             "record_id": r["id"], "description": r["description"], "genus": r["genus"], "genus_from": r["genus_from"],
             "strain": g["strain"], "kind": g["kind"], "length": len(r["seq"]), "split": split}
        e.update(kw)
        manifest_recs.append(e)
        return e

    tag = {"Klebsiella": "kpn", "Escherichia": "eco", "Staphylococcus": "sau", "Vibrio": "vch", "Helicobacter": "hpy"}
    block_genome = {}
    for genus in sorted({g["genus"] for g in genomes} - set(held_genera)):
        comp = [g for g in genomes if g["genus"] == genus and g["kept"] and g["kind"] == "complete"]
        block_genome[genus] = comp[-1]
    for g in genomes:
        short = re.sub(r"[^A-Za-z0-9._-]", "_", g["strain"])
        for r in g["records"]:
            name = f"{tag[g['genus']]}_{short}|{r['id']}"
            if not g["kept"]:
                rec_entry(g, r, "dropped_duplicate", name=name)
            elif g["genus"] in held_genera:
                rec_entry(g, r, "heldout_genera", name=name)
                held_g.append((name, r["seq"]))
            elif g is block_genome[g["genus"]] and r is max(g["records"], key=lambda x: len(x["seq"])):
                s = r["seq"]
                L = int(round(a.block * len(s)))
                b0 = int(hashlib.sha256(g["genus"].encode()).hexdigest(), 16) % (len(s) - L)
                rec_entry(g, r, "heldout_records+train", name=name, block=[b0, b0 + L])
                held_r.append((f"{name}:{b0 + 1}-{b0 + L}", s[b0:b0 + L]))
                train_raw.append((f"{name}:1-{b0}", s[:b0], g["genus"]))
                train_raw.append((f"{name}:{b0 + L + 1}-{len(s)}", s[b0 + L:], g["genus"]))
            else:
                rec_entry(g, r, "train", name=name)
                train_raw.append((name, r["seq"], g["genus"]))
    for pkg, path, fmt, ltag, genus in LOCI:
        for r in SeqIO.parse(os.path.join(root, path), fmt):
            name = f"{ltag}|{r.id}"
            s = str(r.seq).upper()
            manifest_recs.append({"name": name, "package": pkg, "version": versions[pkg]["version"], "file": "/" + path,
                                  "record_id": r.id, "description": r.description, "genus": genus,
                                  "genus_from": "file (kaptive database / unicycler sample)", "kind": "locus",
                                  "length": len(s), "split": "train"})
            train_raw.append((name, s, genus))

    # ---- overlap before the homology cut, then the cut
    hset = kmer_set([s for _, s in held_g] + [s for _, s in held_r])
    tset_before = kmer_set([s for _, s, _ in train_raw])
    over = {"before_cut": {"heldout_genera": overlap([s for _, s in held_g], tset_before),
                           "heldout_records": overlap([s for _, s in held_r], tset_before)}}
    per_genus_before = {}
    for genus in held_genera:
        per_genus_before[genus] = overlap([s for n, s in held_g if n.startswith(tag[genus])], tset_before)
    over["before_cut"]["per_heldout_genus"] = per_genus_before
    del tset_before
    train, cut_bases, dropped_small = [], 0, 0
    genus_of_piece = {}
    for name, s, genus in train_raw:
        cov = covered(s, hset)[0]
        cut_bases += int(cov.sum())
        keep = np.concatenate([[False], ~cov, [False]])
        d = np.diff(keep.astype(np.int8))
        starts, ends = np.nonzero(d == 1)[0], np.nonzero(d == -1)[0]
        if cov.any():
            m = re.search(r":(\d+)-(\d+)$", name)
            off = int(m.group(1)) - 1 if m else 0
            base = name[:m.start()] if m else name
            for b, e in zip(starts, ends):
                if e - b >= a.min_piece:
                    pn = f"{base}:{off + b + 1}-{off + e}"
                    train.append((pn, s[b:e]))
                    genus_of_piece[pn] = genus
                else:
                    dropped_small += int(e - b)
        elif len(s) >= a.min_piece:
            train.append((name, s))
            genus_of_piece[name] = genus
        else:
            dropped_small += len(s)
    tset = kmer_set([s for _, s in train])
    over["after_cut"] = {"heldout_genera": overlap([s for _, s in held_g], tset),
                         "heldout_records": overlap([s for _, s in held_r], tset)}
    over["homology_cut"] = {"bases_cut": cut_bases, "bases_dropped_as_pieces_below_min": dropped_small,
                            "min_piece": a.min_piece}

    # ---- write
    for split, recs in (("train", train), ("heldout_genera", held_g), ("heldout_records", held_r),
                        ("heldout", held_g + held_r)):
        write_fa(os.path.join(out, split + ".fa"), recs)
        mlm.save_split(os.path.join(out, split + ".npz"), recs)
    sizes = {}
    for split, recs, gof in (("train", train, genus_of_piece),
                             ("heldout_genera", held_g, None), ("heldout_records", held_r, None)):
        for n, s in recs:
            genus = gof[n] if gof else next(gg for gg, t in tag.items() if n.startswith(t + "_"))
            d = sizes.setdefault(split, {}).setdefault(genus, {"records": 0, "bases": 0})
            d["records"] += 1
            d["bases"] += len(s)
    dropped = {}
    for g in genomes:
        if not g["kept"]:
            d = dropped.setdefault(g["genus"], {"genomes": 0, "bases": 0})
            d["genomes"] += 1
            d["bases"] += g["bases"]
    manifest = {"packages": versions, "licences": licences, "k": K, "dedup_threshold": a.dedup,
                "heldout_genera": held_genera, "block_fraction": a.block,
                "block_genomes": {gg: g["strain"] for gg, g in block_genome.items()},
                "rules": {"genus": "first word of '<Genus> <species>' in the record description, else the "
                                   "package folder's genus (ragout E.Coli/..., drafts, MG1655-K12)",
                          "dedup": f"per genus, complete genomes first in genomes.GENOMES order, then drafts; "
                                   f"dropped when >= {a.dedup} of its canonical 31-mers occur in the kept ones",
                          "heldout_records": f"one contiguous block of {a.block:.0%} of the chromosome of the last "
                                             "kept complete genome of each training genus; offset "
                                             "sha256(genus) mod (length - block)",
                          "homology_cut": "training bases covered by a 31-mer (either strand) of either held-out "
                                          f"set removed; pieces < {a.min_piece} bp dropped"},
                "sizes": sizes, "dropped_duplicates": dropped,
                "genomes": [{k: v for k, v in g.items() if k != "records"} | {"records": [r["id"] for r in g["records"]]}
                            for g in genomes],
                "records": manifest_recs, "overlap": over}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    with open(os.path.join(out, "dedup.json"), "w") as f:
        json.dump({"threshold": a.dedup, "containment_in_kept":
                   {g["strain"] + " (" + g["genus"] + ")": g["containment_in_kept"] for g in genomes},
                   "pairwise_containment_row_in_column": matrix}, f, indent=1)
    with open(os.path.join(out, "overlap.json"), "w") as f:
        json.dump(over, f, indent=1)
    print(json.dumps({"sizes": sizes, "overlap": over}, indent=1), file=sys.stderr)
    print(f"[genomes] done in {time.time() - t0:.0f} s -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
