"""Shared masked-LM data helpers for tools/train (model-spec.md 3): tokenizing, masking, RC, windows."""
import numpy as np

MASK_ID, PAD_ID = 3, 4
A, C, G, T, N = 7, 8, 9, 10, 11
ACGT = np.array([A, C, G, T])
COMP = np.array([0, 1, 2, 3, 4, 5, 6, 10, 9, 8, 7, 11, 12, 13, 14, 15])
_TABLE = np.full(256, 6, dtype=np.int64)
for _ch, _id in zip("ACGTN", (A, C, G, T, N)):
    _TABLE[ord(_ch)] = _id
    _TABLE[ord(_ch.lower())] = _id


def save_split(path, records):
    """records [(name, sequence str)] -> one .npz (names, concatenated ASCII bases, offsets).
    fetch_data.py writes it from the Bio.SeqIO records, so training needs numpy alone (no FASTA parsing).
    Compressed (zlib): the genome split of genomes.py shrinks from 67 MB to about a quarter, so it fits a
    device run's carry limit; np.load reads either form."""
    seqs = [s.encode("ascii") for _, s in records]
    offsets = np.cumsum([0] + [len(s) for s in seqs]).astype(np.int64)
    np.savez_compressed(path, names=np.array([n for n, _ in records]), bases=np.frombuffer(b"".join(seqs), dtype=np.uint8),
             offsets=offsets)


def load_split(path):
    """The .npz of save_split -> [(name, sequence str)]."""
    with np.load(path) as z:
        bases, off = z["bases"].tobytes(), z["offsets"]
        return [(str(n), bases[off[i]:off[i + 1]].decode("ascii")) for i, n in enumerate(z["names"])]


def tokenize(seq):
    """Caduceus tokenizer ids (A7 C8 G9 T10 N11, anything else 6), add_special_tokens=False."""
    return _TABLE[np.frombuffer(seq.encode("ascii", "replace"), dtype=np.uint8)]


def rc(ids):
    return COMP[ids[..., ::-1]]


def mask_batch(ids, rng, p=0.15):
    """Spec 3 pretraining recipe.  ids [B, L] int64 (tokenizer ids).
    N (and any non-ACGT id) -> [PAD] before masking; 15 % of positions selected (only ACGT positions count
    as targets); of those 80 % -> [MASK], 10 % -> random id in 0..11, 10 % unchanged.
    Returns (inputs, targets) with targets = -100 where not selected or not ACGT."""
    ids = ids.copy()
    ids[(ids < A) | (ids > T)] = PAD_ID
    sel = rng.random(ids.shape) < p
    targets = np.where(sel & (ids >= A) & (ids <= T), ids, -100)
    r = rng.random(ids.shape)
    inputs = ids.copy()
    inputs[sel & (r < 0.8)] = MASK_ID
    rnd = sel & (r >= 0.8) & (r < 0.9)
    inputs[rnd] = rng.integers(0, 12, size=int(rnd.sum()))
    return inputs, targets


def eval_windows(records, length, max_windows=None):
    """Non-overlapping windows of `length` over each record (the last, shorter piece kept if >= 64 bp)."""
    out = []
    for name, seq in records:
        ids = tokenize(seq)
        for s in range(0, len(ids), length):
            w = ids[s:s + length]
            if len(w) >= 64:
                out.append((name, s, w))
    if max_windows is not None and len(out) > max_windows:
        idx = np.random.default_rng(0).choice(len(out), size=max_windows, replace=False)
        out = [out[i] for i in sorted(idx)]
    return out


def masked_eval_set(records, length=1024, seed=1234, max_windows=None):
    """Fixed held-out masked set: list of (inputs [L], targets [L]) per window, same for every model."""
    rng = np.random.default_rng(seed)
    res = []
    for name, s, w in eval_windows(records, length, max_windows):
        x, y = mask_batch(w[None, :], rng)
        res.append((x[0], y[0]))
    return res
