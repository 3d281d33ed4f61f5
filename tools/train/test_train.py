#!/usr/bin/python3
"""Small checks for tools/train (float64, tiny shapes; seconds):
  1. caduceus_ref's chunked scan == the sequential float64 oracle (full PH forward, several chunk sizes,
     batched and unbatched) to 1e-9 relative;
  2. its hand-written backward == autograd through a plain sequential recurrence to 1e-9;
  3. masking recipe statistics (80/10/10, N -> [PAD], targets only on A/C/G/T);
  4. export round trip: a model exported by train.export loads in caduceus_ref with the same logits;
  5. a training run stopped after step 1 and resumed from --state ends bitwise equal to one whole run.
Usage: /usr/bin/python3 tools/train/test_train.py
"""
import json
import os
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
import caduceus_ref as ref  # noqa: E402
import make_checkpoint  # noqa: E402
import mlm  # noqa: E402


def rel(a, b):
    return float((a - b).abs().max() / b.abs().max().clamp_min(1e-300))


def seq_scan(delta, A, B, C, u):
    Bsz, L, Di = delta.shape
    s = torch.zeros(Bsz, Di, A.shape[1], dtype=delta.dtype)
    ys = []
    for t in range(L):
        s = torch.exp(delta[:, t, :, None] * A) * s + (delta[:, t] * u[:, t])[..., None] * B[:, t, None, :]
        ys.append((s * C[:, t, None, :]).sum(-1))
    return torch.stack(ys, 1)


def test_scan():
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as d:
        make_checkpoint.write_checkpoint(d, "ph", d_model=32, n_layer=2, d_state=8, seed=3)
        m = ref.load_model(d)
        ids = torch.randint(7, 12, (3, 150))
        ref.set_scan("sequential")
        want = torch.stack([ref.forward(m, i)["logits"] for i in ids])
        for chunk in (1, 7, 64, 200):
            ref.set_scan("chunked", chunk)
            got = ref.forward(m, ids[0])["logits"]
            assert rel(got, want[0]) < 1e-9, (chunk, rel(got, want[0]))
            with torch.no_grad():
                gotb = ref.forward_ph(m, ids)["logits"]
            assert rel(gotb, want) < 1e-9, (chunk, rel(gotb, want))
        ref.set_scan("sequential")
    # gradients
    Bsz, L, Di, N = 2, 37, 5, 4
    delta = torch.rand(Bsz, L, Di, dtype=torch.float64, requires_grad=True)
    A = (-torch.rand(Di, N, dtype=torch.float64) * 3).requires_grad_()
    B = torch.randn(Bsz, L, N, dtype=torch.float64, requires_grad=True)
    C = torch.randn(Bsz, L, N, dtype=torch.float64, requires_grad=True)
    u = torch.randn(Bsz, L, Di, dtype=torch.float64, requires_grad=True)
    w = torch.randn(Bsz, L, Di, dtype=torch.float64)
    ins = (delta, A, B, C, u)
    g_ref = torch.autograd.grad((seq_scan(*ins) * w).sum(), ins)
    for chunk in (1, 8, 64):
        y = ref.selective_scan_chunked(*ins, chunk=chunk)
        assert rel(y, seq_scan(*ins)) < 1e-12
        g = torch.autograd.grad((y * w).sum(), ins)
        for a, b in zip(g, g_ref):
            assert rel(a, b) < 1e-9, (chunk, rel(a, b))
    print("scan: chunked == sequential (forward 1e-9, backward 1e-9): ok")


def test_masking():
    rng = np.random.default_rng(0)
    ids = rng.choice([7, 8, 9, 10, 11], size=(64, 1000), p=[0.24, 0.24, 0.24, 0.24, 0.04])
    x, y = mlm.mask_batch(ids, rng)
    sel = y >= 0
    acgt = (ids >= 7) & (ids <= 10)
    assert not (sel & ~acgt).any()
    assert abs(sel.sum() / acgt.sum() - 0.15) < 0.01
    frac_mask = (x[sel] == 3).mean()
    frac_same = (x[sel] == ids[sel]).mean()
    assert abs(frac_mask - 0.8) < 0.02 and 0.09 < frac_same < 0.13, (frac_mask, frac_same)
    assert (x[~sel & acgt] == ids[~sel & acgt]).all() and (x[ids == 11] == 4).sum() > 0.8 * (ids == 11).sum()
    r = mlm.rc(np.array([7, 8, 9, 10, 11, 3]))
    assert list(r) == [3, 11, 7, 8, 9, 10]
    print("masking recipe: ok")


def test_export():
    import train
    torch.manual_seed(0)
    net = train.Net(d_model=16, n_layer=2, d_state=4, seed=1)
    with tempfile.TemporaryDirectory() as d:
        train.export(net, d)
        m = ref.load_model(d)
        ids = torch.randint(3, 12, (40,))
        want = ref.forward(m, ids)["logits"]
        ref.set_scan("chunked")
        with torch.no_grad():
            got = net.logits(ids[None])[0].double()
        ref.set_scan("sequential")
        assert rel(got, want) < 1e-5, rel(got, want)
    print("export round trip: ok")


def test_resume():
    """A run stopped after step 1 (--time-budget 0, --state) and resumed gives the same model as one run."""
    import train
    import safetensors_io
    torch.set_num_threads(1)
    rng = np.random.default_rng(5)
    seqs = lambda n: [(f"r{i}", "".join(rng.choice(list("ACGT"), size=600))) for i in range(n)]
    common = ["--d-model", "16", "--n-layer", "2", "--d-state", "4", "--batch", "2", "--seq-len", "128",
              "--steps", "4", "--warmup", "2", "--eval-every", "2", "--eval-windows", "2"]
    with tempfile.TemporaryDirectory() as d:
        mlm.save_split(os.path.join(d, "train.npz"), seqs(3))
        mlm.save_split(os.path.join(d, "heldout.npz"), seqs(1))
        out = lambda name: ["--data", d, "--out", os.path.join(d, name)]
        train.main(common + out("whole"))
        state = os.path.join(d, "state.pt")
        train.main(common + out("split") + ["--state", state, "--time-budget", "0"])
        train.main(common + out("split") + ["--state", state, "--resume"])
        whole = safetensors_io.load(os.path.join(d, "whole", "model.safetensors"))
        split = safetensors_io.load(os.path.join(d, "split", "model.safetensors"))
        assert whole.keys() == split.keys()
        for k in whole:
            assert np.array_equal(whole[k], split[k]), k
        log = json.load(open(os.path.join(d, "split", "train_log.json")))
        assert [r["first_step"] for r in log["runs"]] == [1, 2] and log["last_step"] == 4
    print("stop at step 1 + resume == one run (bitwise): ok")


if __name__ == "__main__":
    test_scan()
    test_masking()
    test_export()
    test_resume()
