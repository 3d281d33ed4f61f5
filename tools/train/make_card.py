#!/usr/bin/python3
"""Write MODEL_CARD.md for a model trained by tools/train (from train_log.json, eval.json, manifest.json).
Usage: tools/train/make_card.py -m data/models/NAME --eval tools/train/cache/eval/eval.json
"""
import argparse
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def sha(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()


def trained_on(log):
    """' on <device>' (and how the run was split when it was resumed from --state), from train_log.json."""
    runs = log.get("runs", [])
    if not runs:
        return ""
    devices = sorted({r["device"] for r in runs})
    text = f" on {' and '.join(devices)} (torch {', '.join(sorted({r['torch'] for r in runs}))})"
    if len(runs) > 1:
        parts = [f"steps {r['first_step']}–{r['last_step']} in {r['seconds']:.0f} s" for r in runs]
        text += f", in {len(runs)} runs, each resuming from the previous one's `--state`: " + "; ".join(parts)
    return text


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("-m", "--model", required=True)
    ap.add_argument("--eval", default=os.path.join(HERE, "cache", "eval", "eval.json"))
    ap.add_argument("--data", default=os.path.join(HERE, "cache", "data"))
    ap.add_argument("--homology", default=os.path.join(HERE, "cache", "eval", "homology.json"))
    a = ap.parse_args(argv)
    hom = json.load(open(a.homology))
    log = json.load(open(os.path.join(a.model, "train_log.json")))
    ev = json.load(open(a.eval))
    man = json.load(open(os.path.join(a.data, "manifest.json")))
    cfg = json.load(open(os.path.join(a.model, "config.json")))
    ar = log["args"]
    name = os.path.basename(os.path.normpath(a.model))
    mlm, bio = ev["mlm"], ev["bio"]
    st = os.path.getsize(os.path.join(a.model, "model.safetensors"))
    tr, ho = man["summary"]["train"], man["summary"]["heldout"]
    srcs = {}
    for r in man["records"]:
        k = (r["package"], r["file"])
        d = srcs.setdefault(k, {"train": 0, "heldout": 0, "bases": 0})
        d[r["split"]] += 1
        d["bases"] += r["length"]
    last_loss = sum(s["loss"] for s in log["steps"][-20:]) / len(log["steps"][-20:])
    L = []
    w = L.append
    w(f"# {name}: Caduceus-PH trained on bacterial capsule loci and plasmids\n")
    w("A small Caduceus-PH masked DNA language model, trained by this repository's own tooling "
      "(`tools/train/`) on real bacterial DNA from Debian packages. It is the default model of the README's "
      "main command. It is a small demonstration model, not a substitute for the published Caduceus "
      "checkpoints (trained on hg38): it knows a few thousand bacterial genes, not the human genome.\n")
    w("## Architecture\n")
    w(f"- Caduceus-PH (`rcps: false`): bidirectional Mamba (BiMamba, `add`, weight-tied in/out projections), "
      f"d_model {cfg['d_model']}, n_layer {cfg['n_layer']}, d_state {cfg['ssm_cfg']['d_state']}, expand "
      f"{cfg['ssm_cfg']['expand']}, d_conv {cfg['ssm_cfg']['d_conv']}, dt_rank auto "
      f"({-(-cfg['d_model'] // 16)}), vocab 16 (Caduceus character tokenizer, model-spec §3).")
    w(f"- {log['n_params']:,} parameters; `model.safetensors` F32, {st:,} bytes, published Hugging Face "
      f"tensor names (model-spec §4.3; tied tensors not stored); `config.json` with the published field set. "
      f"Loads unchanged in genomamba and in `tools/reference/caduceus_ref.py`.")
    w(f"- sha256: `model.safetensors` {sha(os.path.join(a.model, 'model.safetensors'))}, `config.json` "
      f"{sha(os.path.join(a.model, 'config.json'))}.\n")
    w("## Training data\n")
    w("Real genomes from Debian packages, fetched by `tools/train/fetch_data.py` with `apt-get download` and "
      "parsed with Biopython (`Bio.SeqIO`). Split **by record**: a record is held out iff "
      "sha256(`<package>/<file>/<record id>`) mod 1000 < 100 (about 10 %).\n")
    w("| package (version) | file | records train / held-out | bases | licence |")
    w("|---|---|---|---|---|")
    for (pkg, f), d in srcs.items():
        w(f"| {pkg} ({man['packages'][pkg]['version']}) | `{f}` | {d['train']} / {d['heldout']} | {d['bases']:,} | "
          f"{', '.join(man['licences'][pkg])} |")
    w(f"\nTotal: training {tr['records']} records, {tr['bases']:,} bp ({tr['cds']:,} annotated CDS); held-out "
      f"{ho['records']} records, {ho['bases']:,} bp ({ho['cds']:,} CDS). Per-record provenance (package, version, "
      f"file, record id, length, CDS count, split) is in `tools/train/cache/data/manifest.json` after "
      f"`fetch_data.py`; the packages' Debian copyright files are copied next to it. The .deb sha256s: "
      + ", ".join(f"{p} `{v['sha256']}`" for p, v in man["packages"].items()) + ".\n")
    w("Not used: `Klebsiella_k_locus_variant_reference.gbk` (near-identical variants of the primary K loci, "
      "which would leak held-out loci into training).\n")
    w(f"Caveat, measured (`tools/train/homology.py`): capsule loci share conserved genes (e.g. *galF*, *wzi*, "
      f"*wza*/*wzb*/*wzc*, *gnd*, *ugd* in Klebsiella), so splitting by record does not make the held-out set "
      f"homology-free. {hom['shared_kmer_fraction']:.1%} of the held-out {hom['k']}-mers "
      f"({hom['heldout_kmers']:,}) also occur in a training record on either strand, and they cover "
      f"{hom['covered_base_fraction']:.1%} of the held-out bases. Both the model and the k-mer baselines "
      f"profit from this overlap; the evaluation below therefore also reports the held-out bases outside it.\n")
    w("## Training\n")
    w(f"- `tools/train/train.py` (model code: `tools/reference/caduceus_ref.py`, float32, its chunked "
      f"differentiable scan `selective_scan_chunked`, chunk {ar['chunk']}).")
    w(f"- Masked LM, model-spec §3 recipe: N → [PAD] before masking; 15 % of positions, 80 % [MASK] / 10 % "
      f"random id in 0..11 / 10 % unchanged; cross-entropy over the vocabulary at masked A/C/G/T positions.")
    w(f"- Random {ar['seq_len']}-bp windows from the training records (record ∝ length), reverse-complement "
      f"augmentation p = 0.5; batch {ar['batch']}; {log['last_step']} steps "
      f"({log['last_step'] * ar['batch'] * ar['seq_len']:,} tokens).")
    w(f"- AdamW (β 0.9/0.95, weight decay {ar['weight_decay']} on matrices), peak lr {ar['lr']}, {ar['warmup']}-step "
      f"warm-up, cosine decay to 0.1×lr over {ar['steps']} steps, gradient clipping 1.0; seed {ar['seed']} "
      f"(init: `make_checkpoint.make_weights`; data: numpy PCG64).")
    w(f"- Training time: {log['train_time_s'] / 60:.1f} min{trained_on(log)}. Final training loss (mean of the "
      f"last 20 steps, full-vocabulary CE): {last_loss:.3f}.\n")
    w("## Held-out masked-LM evaluation\n")
    w(f"`tools/train/evaluate.py`: all held-out records cut into non-overlapping 1,024-bp windows "
      f"({mlm['windows']} windows, {mlm['heldout_bases']:,} bp), masked once with the training recipe (seed "
      f"1234): {mlm['targets']:,} A/C/G/T targets. Cross-entropy in nats per masked base (log 4 = 1.386) and "
      f"accuracy, model logits restricted to A/C/G/T. The baselines see the same corrupted input: a "
      f"context containing [MASK] or another non-ACGT token backs off to a shorter k. k-mer models: "
      f"k bases on each side, counts from the training records (both strands), add-0.5 smoothing, back-off "
      f"to shorter k when unseen.\n")
    w("| predictor | cross-entropy (nats) | accuracy |")
    w("|---|---|---|")
    w(f"| **{name}** | **{mlm['model']['ce']:.4f}** | **{mlm['model']['acc']:.4f}** |")
    w(f"| best k-mer context model (k = {mlm['best_k']} each side, chosen on held-out) | "
      f"{mlm['best_kmer']['ce']:.4f} | {mlm['best_kmer']['acc']:.4f} |")
    w(f"| unigram (training base frequencies) | {mlm['unigram']['ce']:.4f} | {mlm['unigram']['acc']:.4f} |")
    w("")
    w("All k: " + "; ".join(f"k={k}: {v['ce']:.4f}" for k, v in mlm["kmer"].items()) + ".\n")
    nv = mlm["novel"]
    w(f"The same on the {nv['targets']:,} targets ({nv['fraction']:.1%}) that no shared {nv['k_shared']}-mer "
      f"covers, i.e. away from sequence that also occurs in training:\n")
    w("| predictor (targets outside shared sequence) | cross-entropy (nats) | accuracy |")
    w("|---|---|---|")
    w(f"| **{name}** | **{nv['model']['ce']:.4f}** | **{nv['model']['acc']:.4f}** |")
    w(f"| best k-mer context model (k = {nv['best_k']} each side, chosen on these targets) | "
      f"{nv['best_kmer']['ce']:.4f} | {nv['best_kmer']['acc']:.4f} |")
    w(f"| unigram | {nv['kmer']['0']['ce']:.4f} | {nv['kmer']['0']['acc']:.4f} |")  # JSON keys are strings
    w("")
    verdict = "beats" if mlm["model"]["ce"] < mlm["best_kmer"]["ce"] else "does NOT beat"
    w(f"The model {verdict} the best k-mer baseline in held-out cross-entropy "
      f"({mlm['model']['ce']:.4f} vs {mlm['best_kmer']['ce']:.4f} nats).\n")
    w("## Biological check: `genomamba score` llr of coding SNVs\n")
    w(f"From the CDS annotations of the {bio['heldout_records']} held-out GenBank records ({bio['cds_used']} CDS used: "
      f"strand, codon_start and transl_table respected; start and stop codons, pseudogenes, CDS with internal "
      f"stops or non-ACGT bases, and positions in more than one CDS skipped), every codon SNV was classified "
      f"with `Bio.Seq` translation (available: " + ", ".join(f"{k} {v:,}" for k, v in bio["snvs_available"].items())
      + f"), and a fixed-seed sample of {bio['per_class_cap']:,} per class was written to a VCF and scored with\n")
    w(f"    {bio['command'].replace(os.path.dirname(os.path.dirname(HERE)) + '/', '')}\n")
    w("(masked marginal llr = log p(ALT) − log p(REF), natural log, `--strand both`; docs/scores.md). "
      "Mean llr per class with bootstrap 95 % confidence intervals (2,000 resamples):\n")
    w("| class | n | mean llr | 95 % CI | median | fraction < 0 |")
    w("|---|---|---|---|---|---|")
    for cls in ("synonymous", "missense", "nonsense"):
        c = bio["classes"][cls]
        w(f"| {cls} | {c['n']:,} | {c['mean_llr']:.3f} | [{c['ci95'][0]:.3f}, {c['ci95'][1]:.3f}] | "
          f"{c['median_llr']:.3f} | {c['frac_negative']:.2f} |")
    w("")
    w("| difference of means | value | 95 % CI |")
    w("|---|---|---|")
    for k, d in bio["differences"].items():
        w(f"| {k} | {d['diff']:.3f} | [{d['ci95'][0]:.3f}, {d['ci95'][1]:.3f}] |")
    bs = bio["by_sharing"]
    w("\nThe same means split by whether the SNV lies in sequence shared with training (covered by a 31-mer that "
      "also occurs in a training record, `homology.py`) or outside it:\n")
    w("| class | shared: n | shared: mean llr [95 % CI] | outside: n | outside: mean llr [95 % CI] |")
    w("|---|---|---|---|---|")
    cell = lambda d: f"{d['mean_llr']:.3f} [{d['ci95'][0]:.3f}, {d['ci95'][1]:.3f}]" if d["n"] else "–"
    for cls in ("synonymous", "missense", "nonsense"):
        w(f"| {cls} | {bs['shared'][cls]['n']:,} | {cell(bs['shared'][cls])} | {bs['novel'][cls]['n']:,} | "
          f"{cell(bs['novel'][cls])} |")
    w("")
    for where, label in (("shared", "Inside shared sequence"), ("novel", "Outside it")):
        m = {cls: bs[where][cls]["mean_llr"] for cls in ("nonsense", "missense", "synonymous")}
        if None in m.values():
            continue
        order = " < ".join(sorted(m, key=m.get))
        w(f"{label} the class means order {order}.")
    outside = {cls: bs["novel"][cls]["mean_llr"] for cls in ("nonsense", "missense", "synonymous")}
    if None not in outside.values() and not outside["nonsense"] < outside["missense"] < outside["synonymous"]:
        w("\nA large part of the overall separation therefore comes from genes the model has seen in homologous "
          "form; away from them the signal is weaker, and only nonsense stays clearly separated.")
    w("")
    ok = bio["order_nonsense_lt_missense_lt_synonymous"]
    w(f"Ordering of the means over all {bio['per_class_cap']:,} SNVs per class, nonsense < missense < synonymous: "
      f"**{'yes' if ok else 'NO'}**.\n")
    w("## Reproduce\n")
    w("    DEVICE=cuda tools/train/run_all.sh    # fetch data, train, export, evaluate, write this card\n")
    w(f"The training command it runs: `train.py --device {ar.get('device', 'cpu')} --d-model {cfg['d_model']} "
      f"--n-layer {cfg['n_layer']} --d-state {cfg['ssm_cfg']['d_state']} --batch {ar['batch']} --seq-len "
      f"{ar['seq_len']} --steps {ar['steps']} --lr {ar['lr']} --warmup {ar['warmup']} --seed {ar['seed']}` "
      f"(with `DEVICE=cpu` the same recipe runs on the CPU: an estimated two days on 2 cores). Seeds are fixed, "
      f"but float32 reductions on a GPU or across CPU threads are not bit-reproducible, so a rerun gives a model "
      f"that is close to, not byte-identical with, this one.\n")
    w("## Intended use and limits\n")
    w("Demonstration and testing of genomamba on real DNA; zero-shot scores on bacterial coding sequence "
      "similar to the training loci. Not validated for any clinical or research decision, not trained on "
      "human or eukaryotic DNA, and small (about a million parameters, trained on under 10 Mbp).")
    with open(os.path.join(a.model, "MODEL_CARD.md"), "w") as f:
        f.write("\n".join(L) + "\n")
    print(f"wrote {os.path.join(a.model, 'MODEL_CARD.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
