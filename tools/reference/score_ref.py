#!/usr/bin/python3
"""Independent float64 reference for `genomamba score` (design.md 8-9, docs/scores.md).

Scores (definitions written out in docs/scores.md; the model code is imported from caduceus_ref.py):
  llr      masked marginal, SNV/MNV: mask the differing positions in the window centred on the variant,
           sum over them of log p(ALT) - log p(REF), log-softmax over the A,C,G,T logits only
  wt_llr   the same sum from the unmasked reference window of the fixed grid (stride W/2)
  emb_cos  1 - cos(u, v);  emb_l2  |u - v|_2;  u, v = mean final hidden state of the ref and alt windows
--strand both: PH averages the forward value with the reverse-complement strand's (second pass);
PS (RC-equivariant) takes the forward llr/wt_llr and the strand-averaged d_model-wide embeddings.

Nothing is rounded here (genomamba rounds its outputs to 6 significant digits; compare with rel tol 1e-4).
Every distinct forward pass is computed once and kept in memory (keyed by its token ids, i.e. by the
upper-cased window sequence with its [MASK] positions): meant for test-sized inputs.

CLI:  score_ref.py -m MODEL_DIR -f REF.fa --variants VARIANTS.tsv [--window 4096] [--strand fwd|both]
                   [--scores llr,wt_llr,emb_cos,emb_l2] [-o out.json]
VARIANTS.tsv: tab-separated with a header line naming the columns chrom, pos (1-based), ref, alt
(case-insensitive, a leading '#' allowed; extra columns such as genomamba's own TSV output's id, allele,
status and scores are ignored); one ALT allele per row.  Without those names: the first four columns.
Output: a JSON list, one object per row in input order: chrom, pos, ref, alt, status and each requested
score (null where undefined).

API:  s = Scorer(model_or_dir, {name: sequence}, window=W, strand="fwd"|"both")
      s.score(chrom, pos, ref, alt, scores=SCORES) -> dict;  s.n_forward counts forward passes run
      variant_status, centred_window, grid_window, alt_window: the window / status rules on their own
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import caduceus_ref as ref  # noqa: E402

SCORES = ("llr", "wt_llr", "emb_cos", "emb_l2")
MASK_ID = 3
NUC_COLUMN = {"A": 0, "C": 1, "G": 2, "T": 3}  # within the logits columns 7..10 (ref.ACGT_IDS)
COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")  # other characters tokenise to [UNK] either way

STATUS_SCORED, STATUS_REF_MISMATCH, STATUS_SKIPPED, STATUS_OUT_OF_BOUNDS = 0, 1, 2, 3


def revcomp(text):
    return text.translate(COMPLEMENT)[::-1]


# ----------------------------------------------------------------------------------------------- rules
def variant_status(contig, p, ref_allele, alt):
    """design.md 8 status for a variant with REF at 0-based p; contig is the sequence or None if absent."""
    if contig is None or p < 0 or p + len(ref_allele) > len(contig):
        return STATUS_OUT_OF_BOUNDS
    # symbolic <...>, breakends ([, ], leading/trailing '.'), '*', N and IUPAC: all contain a non-ACGT char
    if not alt or any(ch not in "ACGT" for ch in alt.upper()):
        return STATUS_SKIPPED
    if ref_allele.upper() != contig[p:p + len(ref_allele)].upper():
        return STATUS_REF_MISMATCH
    return STATUS_SCORED


def _centre(p, r):
    return p + (r - 1) // 2


def centred_window(n, W, p, r):
    """[start, end) of the window centred on REF [p, p+r) in a contig of length n (shifted at the ends)."""
    if n <= W:
        return 0, n
    start = min(max(_centre(p, r) - W // 2, 0), n - W)
    return start, start + W


def grid_window(n, W, p, r):
    """[start, end) of the fixed-grid window (stride max(1, W//2)) whose centre is nearest the variant's."""
    if n <= W:
        return 0, n
    S = max(1, W // 2)
    K = -(-(n - W) // S) + 1
    starts = np.minimum(np.arange(K, dtype=np.int64) * S, n - W)
    k = int(np.argmin(np.abs(starts + W // 2 - _centre(p, r))))  # first minimum: ties to the smaller k
    return int(starts[k]), int(starts[k]) + W


def alt_window(n, p, r, a, start, end):
    """[start', end') in the ALT contig (length n - r + a) for the ref window [start, end): same start and
    length, shifted left where the ALT contig ends first (flank from the far side)."""
    n_alt = n - r + a
    length = min(end - start, n_alt)
    s = min(start, n_alt - length)
    return s, s + length


def alt_slice(contig, p, r, alt, s, e):
    """ALT contig (contig[:p] + alt + contig[p+r:]) [s, e) without building the whole ALT contig."""
    a = len(alt)
    left = contig[s:min(e, p)] if s < p else ""
    mid = alt[max(s - p, 0):max(min(e - p, a), 0)]
    right = contig[max(s, p + a) - a + r:e - a + r] if e > p + a else ""
    return left + mid + right


# ----------------------------------------------------------------------------------------------- scorer
class Scorer:
    def __init__(self, model, contigs, window=4096, strand="both"):
        self.m = ref.load_model(model) if isinstance(model, str) else model
        self.contigs = contigs
        self.W = int(window)
        if self.W < 1:
            raise ValueError("window must be >= 1")
        if strand not in ("fwd", "both"):
            raise ValueError("strand must be fwd or both")
        self.strand = strand
        self.n_forward = 0
        self._cache = {}

    # one forward pass per distinct token sequence
    def _forward(self, m, ids):
        key = ids.numpy().tobytes()
        out = self._cache.get(key)
        if out is None:
            f = ref.forward(m, ids)
            out = {"last_hidden_state": f["last_hidden_state"], "logits": f["logits"]}
            self._cache[key] = out
            self.n_forward += 1
        return out

    def _ids(self, text, masks=()):
        ids = ref.tokenize(text)
        for j in masks:
            ids[j] = MASK_ID
        return ids

    def _nuc_log_softmax(self, text, masks):
        """[L, 4] log-softmax over the A, C, G, T logits of the window `text` with `masks` set to [MASK]."""
        logits = self._forward(self.m, self._ids(text, masks))["logits"][:, list(ref.ACGT_IDS)]
        return torch.log_softmax(logits, dim=-1)

    def _llr_one_strand(self, text, offsets, ref_bases, alt_bases, masked):
        lsm = self._nuc_log_softmax(text, offsets if masked else ())
        return sum((lsm[j, NUC_COLUMN[a]] - lsm[j, NUC_COLUMN[b]]).item()
                   for j, b, a in zip(offsets, ref_bases, alt_bases))

    def _llr(self, contig, p, ref_allele, alt, masked):
        if len(ref_allele) != len(alt):
            return math.nan
        R, A = ref_allele.upper(), alt.upper()
        D = [i for i in range(len(R)) if R[i] != A[i]]
        if not D or any(R[i] not in NUC_COLUMN for i in D):
            return math.nan
        n, r = len(contig), len(R)
        s, e = (centred_window if masked else grid_window)(n, self.W, p, r)
        offsets = [p + i - s for i in D]
        if any(j < 0 or j >= e - s for j in offsets):
            return math.nan  # an MNV longer than the window: not every changed base is in it
        text = contig[s:e]
        rb, ab = [R[i] for i in D], [A[i] for i in D]
        fwd = self._llr_one_strand(text, offsets, rb, ab, masked)
        if self.strand == "fwd" or self.m.cfg.rcps:
            return fwd  # PS: the RC strand gives the same value (RC equivariance)
        L = e - s
        comp = lambda bases: [revcomp(b) for b in bases]
        rc = self._llr_one_strand(revcomp(text), [L - 1 - j for j in offsets], comp(rb), comp(ab), masked)
        return (fwd + rc) / 2

    def _window_embedding(self, text):
        ids = self._ids(text)
        if self.strand == "fwd":
            return self._forward(self.m, ids)["last_hidden_state"].mean(dim=0)
        b = ref.strand_both(self.m, ids, fwd_out=self._forward(self.m, ids), forward_fn=self._forward)
        return b["hidden"].mean(dim=0)

    def _emb(self, contig, p, ref_allele, alt):
        n, r, a = len(contig), len(ref_allele), len(alt)
        s, e = centred_window(n, self.W, p, r)
        s2, e2 = alt_window(n, p, r, a, s, e)
        u = self._window_embedding(contig[s:e])
        v = self._window_embedding(alt_slice(contig, p, r, alt, s2, e2))
        nu, nv = torch.linalg.norm(u).item(), torch.linalg.norm(v).item()
        cos = math.nan if nu == 0 or nv == 0 else 1.0 - torch.dot(u, v).item() / (nu * nv)
        return cos, torch.linalg.norm(u - v).item()

    def score(self, chrom, pos, ref_allele, alt, scores=SCORES):
        """One variant (pos 1-based) -> {chrom, pos, ref, alt, status, <score>: float (NaN if undefined)}."""
        contig = self.contigs.get(chrom)
        p = int(pos) - 1
        st = variant_status(contig, p, ref_allele, alt)
        row = {"chrom": chrom, "pos": int(pos), "ref": ref_allele, "alt": alt, "status": st}
        vals = dict.fromkeys(scores, math.nan)
        if st == STATUS_SCORED:
            if "llr" in vals:
                vals["llr"] = self._llr(contig, p, ref_allele, alt, masked=True)
            if "wt_llr" in vals:
                vals["wt_llr"] = self._llr(contig, p, ref_allele, alt, masked=False)
            if "emb_cos" in vals or "emb_l2" in vals:
                cos, l2 = self._emb(contig, p, ref_allele, alt)
                vals.update({k: x for k, x in (("emb_cos", cos), ("emb_l2", l2)) if k in vals})
        row.update(vals)
        return row


# ----------------------------------------------------------------------------------------------- I/O
def read_variants(path):
    """[(chrom, pos, ref, alt)] from a TSV with a header line (see the module docstring)."""
    with open(path) as f:
        lines = [ln.rstrip("\r\n") for ln in f if ln.strip()]
    if not lines:
        return []
    head = [h.strip().lstrip("#").lower() for h in lines[0].split("\t")]
    cols = [head.index(c) if c in head else None for c in ("chrom", "pos", "ref", "alt")]
    if None in cols:
        cols = [0, 1, 2, 3]
    out = []
    for ln in lines[1:]:
        f = ln.split("\t")
        out.append((f[cols[0]], int(f[cols[1]]), f[cols[2]], f[cols[3]]))
    return out


def score_variants(model, contigs, variants, window=4096, strand="both", scores=SCORES):
    s = Scorer(model, contigs, window, strand)
    return [s.score(c, p, r, a, scores) for c, p, r, a in variants]


def to_json(rows):
    clean = lambda x: None if isinstance(x, float) and math.isnan(x) else x
    return json.dumps([{k: clean(v) for k, v in row.items()} for row in rows], indent=1)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-m", "--model", required=True, help="checkpoint dir (config.json + model.safetensors)")
    ap.add_argument("-f", "--fasta", required=True, help="reference FASTA (plain or gzip)")
    ap.add_argument("--variants", required=True, help="TSV with header: chrom, pos (1-based), ref, alt")
    ap.add_argument("--window", type=int, default=4096)
    ap.add_argument("--strand", choices=("fwd", "both"), default="both")
    ap.add_argument("--scores", default=",".join(SCORES))
    ap.add_argument("-o", "--out", help="write the JSON here instead of stdout")
    a = ap.parse_args(argv)
    scores = [x for x in a.scores.split(",") if x]
    bad = [x for x in scores if x not in SCORES]
    if bad or len(set(scores)) != len(scores):
        ap.error(f"--scores: unknown or repeated names in {a.scores!r} (choose from {','.join(SCORES)})")
    contigs = dict(ref.read_fasta(a.fasta))
    rows = score_variants(a.model, contigs, read_variants(a.variants), a.window, a.strand, scores)
    text = to_json(rows)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
