"""Bidirectional k-mer context baselines for masked-base prediction (tools/train/evaluate.py).

Model k: p(center | k bases on the left, k bases on the right), counted on the training records (both
strands), add-alpha smoothed over A/C/G/T.  At prediction time the context is read from the SAME corrupted
input the network sees; if any of the 2k context tokens is not A/C/G/T (e.g. [MASK]) or the context was
never seen in training, it backs off to k-1, ..., down to k = 0 (the unigram model).
"""
import numpy as np

from mlm import A, T, rc


def _codes(ids):
    c = ids.astype(np.int64) - A
    c[(ids < A) | (ids > T)] = -1
    return c


def _ctx_keys(c, k):
    """For every position i: key of (c[i-k..i-1], c[i+1..i+k]) and whether all 2k are valid."""
    n = len(c)
    key = np.zeros(n, dtype=np.int64)
    valid = np.ones(n, dtype=bool)
    for j in list(range(-k, 0)) + list(range(1, k + 1)):
        sh = np.full(n, -1, dtype=np.int64)
        if j < 0:
            sh[-j:] = c[:n + j]
        else:
            sh[:n - j] = c[j:]
        valid &= sh >= 0
        key = key * 4 + np.maximum(sh, 0)
    return key, valid


class KmerModel:
    def __init__(self, train_records, kmax, alpha=0.5):
        self.kmax, self.alpha = kmax, alpha
        seqs = []
        for _, ids in train_records:
            seqs += [ids, rc(ids)]
        self.tables = []  # per k: (sorted context keys, counts [n, 4])
        for k in range(0, kmax + 1):
            keys, cents = [], []
            for ids in seqs:
                c = _codes(ids)
                key, valid = _ctx_keys(c, k)
                ok = valid & (c >= 0)
                keys.append(key[ok])
                cents.append(c[ok])
            # (context, center) pair counts by one sort (np.add.at is slow on tens of millions of rows)
            pair, n = np.unique(np.concatenate(keys) * 4 + np.concatenate(cents), return_counts=True)
            del keys, cents
            ctx = pair >> 2  # non-decreasing, as pair is sorted
            uk = np.unique(ctx)
            counts = np.zeros((len(uk), 4), dtype=np.int64 if n.max() >= 2 ** 31 else np.int32)
            counts[np.searchsorted(uk, ctx), pair & 3] = n
            self.tables.append((uk, counts))

    def log_probs(self, inputs, positions, k=None):
        """inputs: one corrupted window (ids); positions: indices to predict.  Returns [len(positions), 4]."""
        k = self.kmax if k is None else k
        c = _codes(inputs)
        out = np.zeros((len(positions), 4))
        done = np.zeros(len(positions), dtype=bool)
        for kk in range(k, -1, -1):
            key, valid = _ctx_keys(c, kk)
            key, valid = key[positions], valid[positions]
            uk, counts = self.tables[kk]
            idx = np.clip(np.searchsorted(uk, key), 0, len(uk) - 1)
            found = valid & (uk[idx] == key) & ~done
            if kk == 0:
                found = ~done
                idx = np.zeros_like(idx)
            cnt = counts[idx[found]].astype(np.float64) + self.alpha
            out[found] = np.log(cnt / cnt.sum(axis=1, keepdims=True))
            done |= found
        return out
