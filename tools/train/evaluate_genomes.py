#!/usr/bin/python3
"""Evaluation of a model on the genome split of genomes.py (issue #16), each held-out set SEPARATELY.

Held-out sets (CACHE/genomes/<set>.npz): heldout_genera (Vibrio, Helicobacter: genera absent from training)
and heldout_records (10 % blocks of a Klebsiella, an E. coli and an S. aureus chromosome, with their
orthologs in the other strains cut out of training).

--part mlm   Masked-LM cross-entropy (nats, A/C/G/T targets, logits restricted to A/C/G/T) of the model vs
             bidirectional k-mer models (kmer.py, k = 1..--kmax each side, add-0.5, back-off) counted on the
             training split, on the SAME fixed sample of --windows 1,024-bp windows per set (mlm.eval_windows
             subsample, seed 0; masking recipe of model-spec 3 with numpy seed 1234, as evaluate.py).  The
             best k is picked per set on that set (which favours the baseline).
--part bio   Coding SNVs: the genome packages ship no annotation, so genes are ORFs of >= --min-codons
             (300) codons on both strands (ATG to stop, the first ATG after the previous in-frame stop;
             translation table 11; codon classes from Bio.Seq translation), positions covered by more than
             one ORF and the first and last codon skipped.  Every alternative base of every remaining codon
             position is classified synonymous / missense / nonsense; a fixed-seed sample of --per-class per
             class is scored with `genomamba score --scores llr --window W` (both strands); class means,
             bootstrap 95 % CIs (2,000 resamples) of the means and of the differences missense - synonymous,
             nonsense - missense, nonsense - synonymous.
Writes OUT/genomes_<part>_<set>.json; --summarize merges those into OUT/genomes_eval.json.

Usage: tools/train/evaluate_genomes.py -m MODEL --part bio --set heldout_genera [--genomamba BIN]
       tools/train/evaluate_genomes.py -m MODEL --summarize
"""
import argparse
import glob
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
import evaluate  # noqa: E402
import kmer  # noqa: E402
import mlm  # noqa: E402

SETS = ("heldout_genera", "heldout_records")
CLASSES = ("synonymous", "missense", "nonsense")
_ENC = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate("ACGT"):
    _ENC[ord(_c)] = _i


def codon_tables(table=11):
    """aa[64] for codon code 16*b0 + 4*b1 + b2 (A0 C1 G2 T3), from Bio.Seq translation."""
    from Bio.Seq import Seq
    codons = [a + b + c for a in "ACGT" for b in "ACGT" for c in "ACGT"]
    return np.array([str(Seq(c).translate(table=table)) for c in codons])


def find_orfs(seq, min_codons=300, table=11):
    """ORFs (ATG .. stop, first ATG after the previous in-frame stop) of >= min_codons codons (stop not
    counted) on both strands: list of (strand, positions [3n] in coding order, 0-based genomic)."""
    aa = codon_tables(table)
    c = _ENC[np.frombuffer(seq.encode("ascii"), dtype=np.uint8)]
    n = len(c)
    out = []
    for strand in (1, -1):
        cs = c if strand == 1 else np.where(c >= 0, 3 - c, -1)[::-1]
        for f in range(3):
            m = (n - f) // 3
            cod = cs[f:f + 3 * m].reshape(m, 3)
            bad = (cod < 0).any(1)
            code = np.maximum(cod, 0) @ np.array([16, 4, 1])
            prot = aa[code]
            prot[bad] = "X"
            stops = np.nonzero((prot == "*") | bad)[0]
            prev = -1
            for s in stops:
                if prot[s] == "*":
                    seg = prot[prev + 1:s]
                    atg = np.nonzero(code[prev + 1:s] == 14)[0]  # ATG = 0*16 + 3*4 + 2
                    if len(atg) and s - (prev + 1 + atg[0]) >= min_codons:
                        a0 = prev + 1 + atg[0]
                        p = f + 3 * np.arange(a0, s + 1).repeat(3) + np.tile([0, 1, 2], s + 1 - a0)
                        if strand == -1:
                            p = n - 1 - p
                        out.append((strand, p))
                    del seg
                prev = s
    return out


def orf_snvs(contigs, seed, per_class, min_codons=300):
    """All codon SNVs of the ORFs (single-ORF positions, not the first or last codon); fixed-seed sample of
    <= per_class per class.  Returns (sample rows (chrom, pos1, ref, alt, class), available per class, #ORFs)."""
    aa = codon_tables()
    rng = np.random.default_rng(seed)
    cols = {k: [] for k in ("chrom", "gpos", "ref", "alt", "cls")}
    norfs = 0
    for ci, (chrom, seq) in enumerate(contigs):
        orfs = find_orfs(seq, min_codons)
        norfs += len(orfs)
        cover = np.zeros(len(seq), dtype=np.int32)
        for _, p in orfs:
            cover[p] += 1
        g = _ENC[np.frombuffer(seq.encode("ascii"), dtype=np.uint8)]
        for strand, p in orfs:
            p = p[3:-3]  # drop the start and the stop codon (the stop is the last "codon" of p)
            nt = g[p] if strand == 1 else 3 - g[p]
            cod = nt.reshape(-1, 3)
            code = cod @ np.array([16, 4, 1])
            ref_aa = aa[code]
            for j in range(3):
                gp = p[j::3]
                ok = cover[gp] == 1
                for d in (1, 2, 3):
                    alt = (cod[:, j] + d) % 4
                    acode = code + (alt - cod[:, j]) * (16, 4, 1)[j]
                    a2 = aa[acode]
                    cls = np.where(a2 == ref_aa, 0, np.where(a2 == "*", 2, 1))
                    galt = alt if strand == 1 else 3 - alt
                    cols["chrom"].append(np.full(ok.sum(), ci))
                    cols["gpos"].append(gp[ok])
                    cols["ref"].append(g[gp[ok]])
                    cols["alt"].append(galt[ok])
                    cols["cls"].append(cls[ok])
    arr = {k: np.concatenate(v) for k, v in cols.items()}
    avail, sample = {}, []
    for ci, cname in enumerate(CLASSES):
        idx = np.nonzero(arr["cls"] == ci)[0]
        avail[cname] = int(len(idx))
        pick = np.sort(rng.choice(idx, size=min(per_class, len(idx)), replace=False))
        sample += [(int(arr["chrom"][i]), int(arr["gpos"][i]), int(arr["ref"][i]), int(arr["alt"][i]), cname)
                   for i in pick]
    sample.sort()
    rows = [(contigs[c][0], p + 1, "ACGT"[r], "ACGT"[a], cls) for c, p, r, a, cls in sample]
    # the same (chrom, pos, alt) can arise from two... it cannot: single-ORF positions only.
    return rows, avail, norfs


def diff_ci(x, y, rng, n=2000):
    x, y = np.asarray(x), np.asarray(y)
    d = x[rng.integers(0, len(x), (n, len(x)))].mean(1) - y[rng.integers(0, len(y), (n, len(y)))].mean(1)
    return {"diff": float(x.mean() - y.mean()), "ci95": [float(np.percentile(d, 2.5)), float(np.percentile(d, 97.5))]}


def bio_part(model, data, setname, out, per_class, genomamba, window, threads, min_codons, seed=7):
    recs = mlm.load_split(os.path.join(data, setname + ".npz"))
    contigs = [(re.sub(r"[^A-Za-z0-9._-]", "_", n), s) for n, s in recs]
    t = time.time()
    rows, avail, norfs = orf_snvs(contigs, seed, per_class, min_codons)
    orf_s = time.time() - t
    d = os.path.join(out, "bio_" + setname)
    os.makedirs(d, exist_ok=True)
    fa = os.path.join(d, "ref.fa")
    vcf = os.path.join(d, "snvs.vcf")
    evaluate.write_snv_inputs(contigs, rows, fa, vcf)
    tsv = os.path.join(d, "snvs.tsv")
    cmd = [genomamba, "score", "-m", model, "-v", vcf, "-f", fa, "-o", tsv, "--scores", "llr",
           "--window", str(window), "-@", str(threads), "--progress", "never"]
    print("[eval-genomes] " + " ".join(cmd), file=sys.stderr, flush=True)
    t = time.time()
    subprocess.run(["nice", "-n", "19"] + cmd, check=True)
    score_s = time.time() - t
    with open(tsv) as f:
        header = f.readline().rstrip("\n").split("\t")
        scored = [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]
    cls_of = {(c, str(p), r, a): cls for c, p, r, a, cls in rows}
    vals = {c: [] for c in CLASSES}
    for row in scored:
        k = (row["chrom"], row["pos"], row["ref"], row["alt"])
        try:
            v = float(row["llr"])
        except ValueError:
            continue
        if k in cls_of and np.isfinite(v):
            vals[cls_of[k]].append(v)
    rng = np.random.default_rng(seed)
    res = {"set": setname, "records": len(recs), "bases": sum(len(s) for _, s in recs), "orfs": norfs,
           "min_codons": min_codons, "snvs_available": avail, "per_class_cap": per_class, "window": window,
           "command": " ".join(cmd), "orf_s": round(orf_s, 1), "score_s": round(score_s, 1), "classes": {}}
    for cls, v in vals.items():
        lo, hi = evaluate.bootstrap_ci(v, rng)
        res["classes"][cls] = {"n": len(v), "mean_llr": float(np.mean(v)), "ci95": [lo, hi],
                               "median_llr": float(np.median(v)), "frac_negative": float(np.mean(np.array(v) < 0))}
    res["differences"] = {f"{a}-{b}": diff_ci(vals[a], vals[b], rng)
                          for a, b in (("missense", "synonymous"), ("nonsense", "missense"), ("nonsense", "synonymous"))}
    c, dd = res["classes"], res["differences"]
    res["order_nonsense_lt_missense_lt_synonymous"] = bool(
        c["nonsense"]["mean_llr"] < c["missense"]["mean_llr"] < c["synonymous"]["mean_llr"])
    res["order_with_cis_excluding_0"] = bool(dd["missense-synonymous"]["ci95"][1] < 0 and
                                             dd["nonsense-missense"]["ci95"][1] < 0)
    return res


def mlm_part(model, data, sets, windows, kmax, out_dir, kmer_trains):
    """Model CE per set (log-probs cached in OUT/mlm_<set>_<model folder>_w<windows>.npy), then per k-mer training set
    (kmer_trains: {label: .npz}) the k-mer baselines k = 0..kmax on the same masked targets."""
    out, evsets, targets = {}, {}, {}
    for s in sets:
        held = mlm.load_split(os.path.join(data, s + ".npz"))
        evsets[s] = mlm.masked_eval_set(held, 1024, seed=1234, max_windows=windows)
        targets[s] = tg = np.concatenate([y[y >= 0] for _, y in evsets[s]])
        cache = os.path.join(out_dir, f"mlm_{s}_{os.path.basename(os.path.normpath(model))}_w{len(evsets[s])}.npy")
        t = time.time()
        if os.path.exists(cache) and np.load(cache).shape == (len(tg), 4):
            lp = np.load(cache)
        else:
            lp = evaluate.model_logprobs(model, evsets[s])
            np.save(cache, lp)
        ce, acc = evaluate.ce_of(lp, tg)
        out[s] = {"windows": len(evsets[s]), "targets": int(len(tg)), "bases": sum(len(q) for _, q in held),
                  "model": {"ce": ce, "acc": acc, "eval_s": round(time.time() - t, 1)}, "kmer_by_training_set": {}}
        print(f"[eval-genomes] {s}: model CE {ce:.4f} acc {acc:.4f}", file=sys.stderr, flush=True)
    for label, path in kmer_trains.items():
        train = [(n, mlm.tokenize(q)) for n, q in mlm.load_split(path)]
        t = time.time()
        km = kmer.KmerModel(train, kmax, alpha=0.5)
        build_s = round(time.time() - t, 1)
        nb = sum(len(x) for _, x in train)
        del train
        for s in sets:
            res = {"train": os.path.relpath(path, ROOT), "train_bases": nb, "build_s": build_s, "kmer": {}}
            for k in range(0, kmax + 1):
                lp = np.concatenate([km.log_probs(x, np.nonzero(y >= 0)[0], k) for x, y in evsets[s]])
                ce, acc = evaluate.ce_of(lp, targets[s])
                res["kmer"][k] = {"ce": ce, "acc": acc}
            best = min(range(1, kmax + 1), key=lambda k: res["kmer"][k]["ce"])
            res.update({"best_k": best, "best_kmer": res["kmer"][best], "unigram": res["kmer"][0],
                        "model_beats_best_kmer": out[s]["model"]["ce"] < res["kmer"][best]["ce"]})
            out[s]["kmer_by_training_set"][label] = res
            print(f"[eval-genomes] {s}: k-mer on {label}: best k={best} CE {res['best_kmer']['ce']:.4f}",
                  file=sys.stderr, flush=True)
        del km
    for s in sets:  # the issue's criterion: against the best k-mer model counted on the genome training split
        ref_label = "genome_split_train" if "genome_split_train" in out[s]["kmer_by_training_set"] else label
        out[s]["best_kmer"] = out[s]["kmer_by_training_set"][ref_label]["best_kmer"]
        out[s]["best_k"] = out[s]["kmer_by_training_set"][ref_label]["best_k"]
        out[s]["model_beats_best_kmer"] = out[s]["kmer_by_training_set"][ref_label]["model_beats_best_kmer"]
    return out


def by_genus(out, setname, seed=7):
    """Class means and differences per genus (record-name prefix, e.g. vch_/hpy_) from a finished --part bio."""
    d = os.path.join(out, "bio_" + setname)
    if not os.path.exists(os.path.join(d, "snvs.tsv")):
        return None
    cls_of = {}
    with open(os.path.join(d, "snvs.vcf")) as f:
        for line in f:
            if not line.startswith("#"):
                c, p, _, r, a, _, _, info = line.rstrip("\n").split("\t")
                cls_of[(c, p, r, a)] = info.split("=", 1)[1]
    vals = {}
    with open(os.path.join(d, "snvs.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            k = (row["chrom"], row["pos"], row["ref"], row["alt"])
            try:
                v = float(row["llr"])
            except ValueError:
                continue
            if k in cls_of and np.isfinite(v):
                vals.setdefault(row["chrom"].split("_")[0], {c: [] for c in CLASSES})[cls_of[k]].append(v)
    rng = np.random.default_rng(seed)
    res = {}
    for g, per in vals.items():
        res[g] = {"classes": {c: {"n": len(v), "mean_llr": float(np.mean(v))} for c, v in per.items()},
                  "differences": {f"{a}-{b}": diff_ci(per[a], per[b], rng)
                                  for a, b in (("missense", "synonymous"), ("nonsense", "missense"))}}
    return res


def fmt_ci(x):
    return f"[{x[0]:+.3f}, {x[1]:+.3f}]"


def markdown(res, manifest, dedup):
    """EVAL_CURRENT_MODEL.md-style summary of genomes_eval.json (tables only; prose by the caller)."""
    L = []
    sz = manifest["sizes"]
    L.append("| split | genus | records / pieces | Mbp |")
    L.append("|---|---|---|---|")
    for split in ("train", "heldout_genera", "heldout_records"):
        tot = 0
        for g, v in sorted(sz[split].items(), key=lambda kv: -kv[1]["bases"]):
            L.append(f"| {split} | {g} | {v['records']:,} | {v['bases'] / 1e6:.2f} |")
            tot += v["bases"]
        L.append(f"| **{split}** | all | {sum(v['records'] for v in sz[split].values()):,} | **{tot / 1e6:.2f}** |")
    L.append("")
    L.append("| genus | genome (strain) | file | kind | Mbp | 31-mers in kept genomes | |")
    L.append("|---|---|---|---|---|---|---|")
    for g in manifest["genomes"]:
        L.append(f"| {g['genus']} | {g['strain']} | `{os.path.basename(g['file'])}` ({g['package']}) | {g['kind']} | "
                 f"{g['bases'] / 1e6:.2f} | {g['containment_in_kept']:.3f} | {'kept' if g['kept'] else 'dropped'} |")
    L.append("")
    ov = manifest["overlap"]
    L.append("| held-out set | 31-mers | shared with training before the cut: k-mers / bases | after the cut | "
             "shared with the CURRENT model's training data (k-mers / bases) |")
    L.append("|---|---|---|---|---|")
    rows = [("heldout_genera", ov["before_cut"]["heldout_genera"], ov["after_cut"]["heldout_genera"]),
            ("heldout_records", ov["before_cut"]["heldout_records"], ov["after_cut"]["heldout_records"])]
    for name, b, a in rows:
        cur = res.get(name, {}).get("overlap")
        cs = f"{cur['shared_kmer_fraction']:.4%} / {cur['covered_base_fraction']:.4%}" if cur else "n/a"
        L.append(f"| {name} | {b['heldout_kmers']:,} | {b['shared_kmer_fraction']:.3%} / "
                 f"{b['covered_base_fraction']:.3%} | {a['shared_kmer_fraction']:.3%} / "
                 f"{a['covered_base_fraction']:.3%} | {cs} |")
    for g, b in ov["before_cut"].get("per_heldout_genus", {}).items():
        L.append(f"| heldout_genera: {g} | {b['heldout_kmers']:,} | {b['shared_kmer_fraction']:.3%} / "
                 f"{b['covered_base_fraction']:.3%} | 0 / 0 | |")
    L.append("")
    L.append("| held-out set | windows / targets | model CE (acc) | best k-mer, genome training split: k, CE (acc) | "
             "best k-mer, current model's own training data: k, CE (acc) | unigram CE |")
    L.append("|---|---|---|---|---|---|")
    for s in SETS:
        m = res.get(s, {}).get("mlm")
        if not m:
            L.append(f"| {s} | not finished | | | | |")
            continue
        kb = m["kmer_by_training_set"]
        cells = []
        for lab in ("genome_split_train", "model_own_train"):
            if lab in kb:
                cells.append(f"k={kb[lab]['best_k']}: {kb[lab]['best_kmer']['ce']:.4f} ({kb[lab]['best_kmer']['acc']:.3f})")
            else:
                cells.append("n/a")
        L.append(f"| {s} | {m['windows']} / {m['targets']:,} | **{m['model']['ce']:.4f}** ({m['model']['acc']:.3f}) | "
                 f"{cells[0]} | {cells[1]} | {m['kmer_by_training_set']['genome_split_train']['unigram']['ce']:.4f} |")
    L.append("")
    L.append("| held-out set | ORFs | SNVs available syn / mis / non | n per class | mean llr synonymous | missense | nonsense | "
             "missense − synonymous | nonsense − missense | nonsense − synonymous |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")
    for s in SETS:
        b = res.get(s, {}).get("bio")
        if not b:
            L.append(f"| {s} | not finished | | | | | | | | |")
            continue
        c, d, av = b["classes"], b["differences"], b["snvs_available"]
        cell = lambda k: f"{c[k]['mean_llr']:+.4f} {fmt_ci(c[k]['ci95'])}"
        dcell = lambda k: f"{d[k]['diff']:+.4f} {fmt_ci(d[k]['ci95'])}"
        L.append(f"| {s} | {b['orfs']:,} | {av['synonymous']:,} / {av['missense']:,} / {av['nonsense']:,} | "
                 f"{c['synonymous']['n']:,} / {c['missense']['n']:,} / {c['nonsense']['n']:,} | {cell('synonymous')} | "
                 f"{cell('missense')} | {cell('nonsense')} | {dcell('missense-synonymous')} | "
                 f"{dcell('nonsense-missense')} | {dcell('nonsense-synonymous')} |")
    L.append("")
    L.append("| held-out set: genus (record prefix) | n syn / mis / non | mean llr syn / mis / non | "
             "missense − synonymous | nonsense − missense |")
    L.append("|---|---|---|---|---|")
    for s in SETS:
        for g, r in sorted(res.get(s, {}).get("bio_by_genus", {}).items()):
            c, d = r["classes"], r["differences"]
            means = " / ".join("%+.3f" % c[k]["mean_llr"] for k in CLASSES)
            L.append(f"| {s}: {g} | {' / '.join(str(c[k]['n']) for k in CLASSES)} | "
                     f"{means} | "
                     f"{d['missense-synonymous']['diff']:+.4f} {fmt_ci(d['missense-synonymous']['ci95'])} | "
                     f"{d['nonsense-missense']['diff']:+.4f} {fmt_ci(d['nonsense-missense']['ci95'])} |")
    return "\n".join(L) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-m", "--model", required=True)
    ap.add_argument("--data", default=os.path.join(HERE, "cache", "genomes"))
    ap.add_argument("--out", default=os.path.join(HERE, "cache", "eval"))
    ap.add_argument("--part", choices=("bio", "mlm", "overlap"))
    ap.add_argument("--model-train", default=os.path.join(HERE, "cache", "data", "train.npz"),
                    help="--part overlap: the training split the evaluated model saw (fetch_data.py's for the "
                         "current default model)")
    ap.add_argument("--set", choices=SETS, action="append", help="default: both")
    ap.add_argument("--summarize", action="store_true")
    ap.add_argument("--tables", default=None, help="with --summarize: write the markdown tables to this file")
    ap.add_argument("--per-class", type=int, default=3000)
    ap.add_argument("--min-codons", type=int, default=300)
    ap.add_argument("--window", type=int, default=512)
    ap.add_argument("--windows", type=int, default=200, help="masked 1,024-bp windows per held-out set")
    ap.add_argument("--kmax", type=int, default=8)
    ap.add_argument("--genomamba", default=os.path.join(ROOT, "build", "apps", "genomamba"))
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    sets = a.set or list(SETS)
    model = os.path.relpath(os.path.abspath(a.model), ROOT)
    if a.part == "bio":
        for s in sets:
            r = bio_part(a.model, a.data, s, a.out, a.per_class, a.genomamba, a.window, a.threads, a.min_codons)
            r["model"] = model
            with open(os.path.join(a.out, f"genomes_bio_{s}.json"), "w") as f:
                json.dump(r, f, indent=1)
            print(json.dumps({k: r[k] for k in ("classes", "differences", "score_s")}, indent=1), file=sys.stderr)
    if a.part == "mlm":
        trains = {"genome_split_train": os.path.join(a.data, "train.npz")}
        if os.path.exists(a.model_train):
            trains["model_own_train"] = a.model_train
        r = mlm_part(a.model, a.data, sets, a.windows, a.kmax, a.out, trains)
        for s in sets:
            r[s]["model_dir"] = model
            with open(os.path.join(a.out, f"genomes_mlm_{s}.json"), "w") as f:
                json.dump(r[s], f, indent=1)
    if a.part == "overlap":  # the held-out sets vs the evaluated model's OWN training data (31-mers)
        import genomes
        seen = genomes.kmer_set([s for _, s in mlm.load_split(a.model_train)])
        for s in sets:
            held = [q for _, q in mlm.load_split(os.path.join(a.data, s + ".npz"))]
            r = genomes.overlap(held, seen) | {"model_train": os.path.relpath(a.model_train, ROOT)}
            with open(os.path.join(a.out, f"genomes_overlap_{s}.json"), "w") as f:
                json.dump(r, f, indent=1)
            print(s, json.dumps(r))
    if a.summarize:
        res = {"model": model, "data": os.path.relpath(a.data, ROOT)}
        for p in sorted(glob.glob(os.path.join(a.out, "genomes_*_heldout_*.json"))):
            part, s = re.match(r"genomes_(bio|mlm|overlap)_(.*)\.json", os.path.basename(p)).groups()
            res.setdefault(s, {})[part] = json.load(open(p))
        for fn in ("overlap.json", "manifest.json"):
            if os.path.exists(os.path.join(a.data, fn)):
                m = json.load(open(os.path.join(a.data, fn)))
                res["overlap" if fn == "overlap.json" else "sizes"] = m if fn == "overlap.json" else m["sizes"]
        for s in SETS:
            bg = by_genus(a.out, s)
            if bg:
                res.setdefault(s, {})["bio_by_genus"] = bg
        g = res.get("heldout_genera", {})
        if "bio" in g and "mlm" in g:
            res["done_when_met_on_heldout_genera"] = bool(g["bio"]["order_with_cis_excluding_0"]
                                                         and g["mlm"]["model_beats_best_kmer"])
        with open(os.path.join(a.out, "genomes_eval.json"), "w") as f:
            json.dump(res, f, indent=1)
        if a.tables:
            with open(a.tables, "w") as f:
                f.write(markdown(res, json.load(open(os.path.join(a.data, "manifest.json"))), None))
        print(json.dumps({k: v for k, v in res.items() if k not in ("sizes", "overlap")}, indent=1)[:4000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
