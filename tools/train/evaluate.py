#!/usr/bin/python3
"""Held-out evaluation of a trained model (issue #6) and its model-card numbers.

1. Masked-LM on the held-out records: non-overlapping 1,024-bp windows, masked with the training
   recipe (model-spec 3; numpy seed 1234, identical for every model).  Cross-entropy (nats) and accuracy
   over the A/C/G/T targets, the model's logits restricted to A/C/G/T.  Baselines on the SAME corrupted
   inputs: unigram (training base frequencies, both strands) and bidirectional k-mer context models
   (kmer.py: k bases each side, add-0.5 smoothing, back-off to shorter k); the best k is picked on the
   held-out set itself (which favours the baseline).  The same comparison is repeated on the "novel"
   targets: those not covered by any 31-mer that also occurs in a training record (homology.py).
2. Biological check: SNVs inside the CDS codons of the held-out GenBank records (Bio.SeqIO features;
   strand, codon_start and transl_table respected; first and last codon, pseudogenes, CDS with internal
   stops or non-ACGT bases, and positions covered by more than one CDS skipped), classified synonymous /
   missense / nonsense by Bio.Seq translation, a fixed-seed sample of at most --per-class per class,
   written to VCF + FASTA (+ samtools faidx) and scored with
   `genomamba score --scores llr --window 1024` (default --strand both).  Mean llr per class with
   bootstrap 95 % CIs (2,000 resamples), and of the class differences; the class means again for SNVs
   inside and outside sequence shared with training (31-mers, homology.py).
Writes OUT/eval.json and OUT/bio/{heldout_cds.fa,.fai,snvs.vcf,snvs.tsv}.

Usage: tools/train/evaluate.py -m data/models/NAME [--data tools/train/cache/data] [--out DIR]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
import caduceus_ref as ref  # noqa: E402
import homology  # noqa: E402
import kmer  # noqa: E402
import mlm  # noqa: E402


K_SHARED = 31  # k of the k-mers that define sequence shared with training (homology.py)


def ce_of(logp, targets):
    t = targets - 7
    return float(-logp[np.arange(len(t)), t].mean()), float((logp.argmax(1) == t).mean())


def model_logprobs(model_dir, evset, batch=8):
    ref.set_precision("float32")
    ref.set_scan("chunked")
    m = ref.load_model(model_dir)
    out = []
    with torch.no_grad():
        i = 0
        while i < len(evset):
            L = len(evset[i][0])
            j = i
            while j < len(evset) and j - i < batch and len(evset[j][0]) == L:
                j += 1
            X = torch.tensor(np.stack([x for x, _ in evset[i:j]]))
            lg = ref.forward_ph(m, X)["logits"][..., 7:11].double()
            lp = torch.log_softmax(lg, -1).numpy()
            for k in range(j - i):
                y = evset[i + k][1]
                out.append(lp[k][y >= 0])
            i = j
    return np.concatenate(out)


def mlm_eval(model_dir, data, train_seqs, seen, kmax, max_windows=None):
    held = mlm.load_split(os.path.join(data, "heldout.npz"))
    train = [(n, mlm.tokenize(s)) for n, s in train_seqs]
    evset = mlm.masked_eval_set(held, 1024, seed=1234, max_windows=max_windows)
    targets = np.concatenate([y[y >= 0] for _, y in evset])
    res = {"windows": len(evset), "targets": int(len(targets)), "heldout_bases": sum(len(s) for _, s in held)}
    t = time.time()
    lp = model_logprobs(model_dir, evset)
    res["model"] = dict(zip(("ce", "acc"), ce_of(lp, targets)))
    res["model"]["eval_s"] = round(time.time() - t, 1)
    print(f"[eval] model CE {res['model']['ce']:.4f} acc {res['model']['acc']:.4f}", file=sys.stderr, flush=True)
    km = kmer.KmerModel(train, kmax, alpha=0.5)
    res["kmer"] = {}
    kmer_lp = {}
    for k in range(0, kmax + 1):
        kmer_lp[k] = np.concatenate([km.log_probs(x, np.nonzero(y >= 0)[0], k) for x, y in evset])
        ce, acc = ce_of(kmer_lp[k], targets)
        res["kmer"][k] = {"ce": ce, "acc": acc}
        print(f"[eval] k-mer k={k} CE {ce:.4f} acc {acc:.4f}", file=sys.stderr, flush=True)
    res["unigram"] = res["kmer"][0]
    best = min(range(1, kmax + 1), key=lambda k: res["kmer"][k]["ce"])
    res["best_k"] = best
    res["best_kmer"] = res["kmer"][best]
    res["novel"] = novel_subset(seen, held, evset, max_windows, lp, kmer_lp, targets)
    return res


def novel_subset(seen, held, evset, max_windows, lp, kmer_lp, targets):
    """The same comparison restricted to held-out targets NOT covered by any 31-mer that also occurs in the
    training records (homology.py): how the model and the k-mer baselines do away from shared genes."""
    cov = {name: c[0] for (name, _), c in zip(held, homology.shared_coverage(seen, held, K_SHARED))}
    novel = np.concatenate([~cov[name][s:s + len(w)][y >= 0]
                            for (name, s, w), (_, y) in zip(mlm.eval_windows(held, 1024, max_windows), evset)])
    out = {"k_shared": K_SHARED, "targets": int(novel.sum()), "fraction": float(novel.mean())}
    out["model"] = dict(zip(("ce", "acc"), ce_of(lp[novel], targets[novel])))
    out["kmer"] = {k: dict(zip(("ce", "acc"), ce_of(v[novel], targets[novel]))) for k, v in kmer_lp.items()}
    out["best_k"] = min((k for k in out["kmer"] if k > 0), key=lambda k: out["kmer"][k]["ce"])
    out["best_kmer"] = out["kmer"][out["best_k"]]
    print(f"[eval] novel targets {out['targets']:,}: model CE {out['model']['ce']:.4f}, best k-mer "
          f"(k={out['best_k']}) {out['best_kmer']['ce']:.4f}", file=sys.stderr, flush=True)
    return out


# --------------------------------------------------------------------------------------- biological check
def cds_snvs(gbk, seed, per_class, only=None):
    """All codon SNVs of the CDS features; returns (contigs, fixed-seed sample of <= per_class per class,
    available counts per class, CDS used, records).  `only`: restrict to this record id."""
    from Bio import SeqIO
    from Bio.Seq import Seq
    rng = np.random.default_rng(seed)
    recs = [r for r in SeqIO.parse(gbk, "genbank") if only is None or r.id == only]
    contigs, rows, ncds_used = [], [], 0
    for ri, rec in enumerate(recs):
        chrom = re.sub(r"[^A-Za-z0-9._-]", "_", rec.description.split("|")[0] + "_" + rec.id)
        gseq = str(rec.seq).upper()
        contigs.append((chrom, gseq))
        cover = np.zeros(len(gseq), dtype=np.int32)
        cds = [f for f in rec.features if f.type == "CDS"]
        for f in cds:
            for p in f.location:
                cover[p] += 1
        for f in cds:
            q = f.qualifiers
            if "pseudo" in q or "pseudogene" in q:
                continue
            table = int(q.get("transl_table", ["11"])[0])
            start = int(q.get("codon_start", ["1"])[0]) - 1
            pos = list(f.location)[start:]  # genomic positions in coding order (strand-aware)
            nt = str(f.extract(rec.seq)).upper()[start:]
            n = len(nt) // 3 * 3
            if n < 9 or set(nt) - set("ACGT"):
                continue
            prot = str(Seq(nt[:n]).translate(table=table))
            if "*" in prot[:-1]:
                continue
            ncds_used += 1
            strand = f.location.strand or 1
            for ci in range(1, n // 3 - 1):  # not the first (start) or last codon
                codon = nt[3 * ci:3 * ci + 3]
                aa = prot[ci]
                for j in range(3):
                    gp = pos[3 * ci + j]
                    if cover[gp] != 1:
                        continue
                    for b in "ACGT":
                        if b == codon[j]:
                            continue
                        alt_codon = codon[:j] + b + codon[j + 1:]
                        aa2 = str(Seq(alt_codon).translate(table=table))
                        cls = "synonymous" if aa2 == aa else ("nonsense" if aa2 == "*" else "missense")
                        gref = gseq[gp]
                        galt = b if strand == 1 else str(Seq(b).complement())
                        assert (gref == codon[j]) if strand == 1 else (gref == str(Seq(codon[j]).complement()))
                        rows.append((chrom, gp + 1, gref, galt, cls, rec.id, q.get("gene", q.get("locus_tag", [""]))[0]))
    by = {}
    for r in rows:
        by.setdefault(r[4], []).append(r)
    sample = []
    for cls in ("synonymous", "missense", "nonsense"):
        rs = by.get(cls, [])
        idx = rng.choice(len(rs), size=min(per_class, len(rs)), replace=False) if rs else []
        sample += [rs[i] for i in sorted(idx)]
    order = {c: i for i, (c, _) in enumerate(contigs)}
    sample.sort(key=lambda r: (order[r[0]], r[1], r[3]))
    avail = {c: len(v) for c, v in by.items()}
    return contigs, sample, avail, ncds_used, len(recs)


def bootstrap_ci(x, rng, n=2000):
    x = np.asarray(x)
    means = x[rng.integers(0, len(x), size=(n, len(x)))].mean(1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def write_snv_inputs(contigs, snvs, fa, vcf):
    """The contigs ([(name, sequence)]) that hold SNVs as an indexed FASTA `fa`, and the SNVs ([(contig, 1-based
    pos, ref, alt, class)]) as a VCF `vcf` with INFO/CSQ_CLASS: the inputs of `genomamba score`."""
    used = sorted({snv[0] for snv in snvs}, key=[c for c, _ in contigs].index)
    with open(fa, "w") as f:
        for c, s in contigs:
            if c in used:
                f.write(f">{c}\n" + "\n".join(s[i:i + 80] for i in range(0, len(s), 80)) + "\n")
    subprocess.run(["samtools", "faidx", fa], check=True)
    lens = dict(contigs)
    with open(vcf, "w") as f:
        f.write("##fileformat=VCFv4.2\n")
        for c in used:
            f.write(f"##contig=<ID={c},length={len(lens[c])}>\n")
        f.write('##INFO=<ID=CSQ_CLASS,Number=1,Type=String,Description="synonymous, missense or nonsense">\n')
        f.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
        for c, p, r, a, cls in snvs:
            f.write(f"{c}\t{p}\t.\t{r}\t{a}\t.\t.\tCSQ_CLASS={cls}\n")


def bio_check(model_dir, data, seen, out, per_class, genomamba, seed=7):
    os.makedirs(out, exist_ok=True)
    contigs, sample, avail, ncds, nrec = cds_snvs(os.path.join(data, "heldout.gbk"), seed, per_class)
    fa = os.path.join(out, "heldout_cds.fa")
    vcf = os.path.join(out, "snvs.vcf")
    write_snv_inputs(contigs, [row[:5] for row in sample], fa, vcf)
    tsv = os.path.join(out, "snvs.tsv")
    t = time.time()
    cmd = [genomamba, "score", "-m", model_dir, "-v", vcf, "-f", fa, "-o", tsv, "--scores", "llr",
           "--window", "1024", "--progress", "never"]
    print("[eval] " + " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True)
    score_s = time.time() - t
    with open(tsv) as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(header, l.rstrip("\n").split("\t"))) for l in f]
    cls_of = {(c, str(p), r, a): cls for c, p, r, a, cls, _, _ in sample}
    # Whether each SNV lies in sequence shared with training (a 31-mer also found there; homology.py).
    shared_at = {c: cov for (c, _), (cov, _, _) in zip(contigs, homology.shared_coverage(seen, contigs, K_SHARED))}
    vals = {"synonymous": [], "missense": [], "nonsense": []}
    by_sharing = {"shared": {c: [] for c in vals}, "novel": {c: [] for c in vals}}
    for row in rows:
        k = (row["chrom"], row["pos"], row["ref"], row["alt"])
        v = float(row["llr"]) if row["llr"] not in ("", "nan", "NaN", ".") else float("nan")
        if k in cls_of and np.isfinite(v):
            vals[cls_of[k]].append(v)
            where = "shared" if shared_at[row["chrom"]][int(row["pos"]) - 1] else "novel"
            by_sharing[where][cls_of[k]].append(v)
    rng = np.random.default_rng(seed)
    res = {"heldout_records": nrec, "cds_used": ncds, "snvs_available": avail, "per_class_cap": per_class,
           "command": " ".join(cmd), "score_s": round(score_s, 1), "classes": {}}
    for cls, v in vals.items():
        lo, hi = bootstrap_ci(v, rng)
        res["classes"][cls] = {"n": len(v), "mean_llr": float(np.mean(v)), "ci95": [lo, hi],
                               "median_llr": float(np.median(v)),
                               "frac_negative": float(np.mean(np.array(v) < 0))}
    diffs = {}
    for a, b in (("nonsense", "missense"), ("missense", "synonymous"), ("nonsense", "synonymous")):
        x, y = np.array(vals[a]), np.array(vals[b])
        d = x[rng.integers(0, len(x), (2000, len(x)))].mean(1) - y[rng.integers(0, len(y), (2000, len(y)))].mean(1)
        diffs[f"{a}-{b}"] = {"diff": float(x.mean() - y.mean()),
                             "ci95": [float(np.percentile(d, 2.5)), float(np.percentile(d, 97.5))]}
    res["differences"] = diffs
    res["by_sharing"] = {where: {cls: {"n": len(v), "mean_llr": float(np.mean(v)) if v else None,
                                       "ci95": list(bootstrap_ci(v, rng)) if v else None}
                                 for cls, v in per.items()} for where, per in by_sharing.items()}
    c = res["classes"]
    res["order_nonsense_lt_missense_lt_synonymous"] = bool(
        c["nonsense"]["mean_llr"] < c["missense"]["mean_llr"] < c["synonymous"]["mean_llr"])
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-m", "--model", required=True)
    ap.add_argument("--data", default=os.path.join(HERE, "cache", "data"))
    ap.add_argument("--out", default=os.path.join(HERE, "cache", "eval"))
    ap.add_argument("--kmax", type=int, default=10)
    ap.add_argument("--per-class", type=int, default=800)
    ap.add_argument("--genomamba", default=os.path.join(ROOT, "build", "apps", "genomamba"))
    ap.add_argument("--skip-mlm", action="store_true")
    ap.add_argument("--skip-bio", action="store_true")
    ap.add_argument("--max-windows", type=int, default=None, help="testing only: subsample the held-out windows")
    ap.add_argument("--threads", type=int, default=None)
    a = ap.parse_args(argv)
    if a.threads:
        torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    res = {"model": os.path.relpath(os.path.abspath(a.model), ROOT)}
    train_seqs = mlm.load_split(os.path.join(a.data, "train.npz"))
    seen = homology.training_kmers(train_seqs, K_SHARED)  # for "shared with training" in both checks
    if not a.skip_bio:
        res["bio"] = bio_check(a.model, a.data, seen, os.path.join(a.out, "bio"), a.per_class, a.genomamba)
        print(json.dumps(res["bio"]["classes"], indent=1), file=sys.stderr, flush=True)
    if not a.skip_mlm:
        res["mlm"] = mlm_eval(a.model, a.data, train_seqs, seen, a.kmax, a.max_windows)
        res["model_beats_best_kmer"] = res["mlm"]["model"]["ce"] < res["mlm"]["best_kmer"]["ce"]
    with open(os.path.join(a.out, "eval.json"), "w") as f:
        json.dump(res, f, indent=1)
    print(json.dumps({k: v for k, v in res.items() if k != "bio"}, indent=1, default=str)[:3000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
