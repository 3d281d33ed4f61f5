#!/usr/bin/python3
"""Masked-LM pretraining of a small Caduceus-PH on real DNA (issue #6), on the CPU or a CUDA GPU.

The model IS tools/reference/caduceus_ref.py (forward_ph / bimamba / mamba_forward), run in float32 with
its chunked differentiable scan (caduceus_ref.set_scan("chunked")); the trainable tensors are torch
Parameters keyed by the exact Hugging Face names of model-spec.md 4.3 (tied rev in_proj/out_proj and LM
head are the same Parameter objects, and are not stored), so export is a plain write in the layout
genomamba loads (make_checkpoint.make_config / config_text + safetensors_io.save).

Recipe (model-spec.md 3): random windows of --seq-len bp from the training records (record chosen with
probability proportional to length), reverse complement with p = 0.5 (PH augmentation), N -> [PAD],
15 % masked 80/10/10, cross-entropy over the vocabulary at masked A/C/G/T positions only; AdamW, linear
warm-up then cosine decay over --steps, gradient clipping 1.0, fixed seeds (numpy PCG64 for data, torch
for nothing random after init).  Held-out masked CE over A/C/G/T is logged every --eval-every steps on a
fixed subset; the model is exported to --out at every evaluation and at the end (plus train_log.json).

--device cuda runs the same code on a GPU (torch.set_default_device; needs torch >= 2.0).  --state FILE
saves parameters, optimiser, step, data RNG and log at every evaluation; --resume continues from it with
the same arguments, so a run split over several sessions (or machines) follows the same schedule and data.

Usage: tools/train/train.py --data tools/train/cache/data --out data/models/NAME [--steps 600]
       [--time-budget 1800] [--d-model 128 --n-layer 4 --d-state 16] [--batch 8 --seq-len 1024]
       [--device cpu|cuda] [--state FILE [--resume]]
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
import caduceus_ref as ref  # noqa: E402
import make_checkpoint  # noqa: E402
import safetensors_io  # noqa: E402
import mlm  # noqa: E402


class Net:
    """Caduceus-PH whose weights are torch Parameters under their HF names (model-spec 4.3)."""

    def __init__(self, d_model=128, n_layer=4, d_state=16, expand=2, d_conv=4, seed=0):
        self.hp = dict(kind="ph", d_model=d_model, n_layer=n_layer, d_state=d_state, expand=expand,
                       d_conv=d_conv, dt_rank="auto", vocab_size=16)
        w = make_checkpoint.make_weights(seed=seed, **self.hp)  # Mamba / Caduceus init (spec 2.7), float64
        self.params = {k: torch.nn.Parameter(torch.tensor(v, dtype=torch.float32)) for k, v in w.items()}
        self.raw_config = make_checkpoint.make_config(**{k: v for k, v in self.hp.items()})
        self.cfg = ref.Config(json.loads(make_checkpoint.config_text(self.raw_config)))
        # Assemble a caduceus_ref Model around the Parameters (same structure load_model builds).
        wd = {k[len("caduceus."):]: v for k, v in self.params.items()}
        m = ref.Model()
        m.cfg = self.cfg
        m.E = wd["backbone.embeddings.word_embeddings.weight"]
        m.norm_f = wd["backbone.norm_f.weight"]
        m.layers = []
        for i in range(n_layer):
            pre = f"backbone.layers.{i}."
            layer = ref.Model()
            layer.norm_w = wd[pre + "norm.weight"]
            layer.fwd = ref.MambaParams(wd, pre + "mixer.mamba_fwd.")
            layer.rev = ref.MambaParams(wd, pre + "mixer.mamba_rev.", tied_from=layer.fwd)
            m.layers.append(layer)
        self.model = m

    def logits(self, ids):
        """ids [B, L] long -> logits [B, L, vocab] (float32, differentiable; needs set_scan('chunked'))."""
        return ref.forward_ph(self.model, ids)["logits"]

    def n_params(self):
        return sum(p.numel() for p in self.params.values())


EXPORT_DTYPES = {"F32": "float32", "F16": "float16", "BF16": "bfloat16"}


def export(net, out, extra_files=None, dtype="F32"):
    """config.json + model.safetensors; dtype F32 (default), or F16 / BF16 (half the bytes; genomamba's loader
    and tools/reference read all three; training itself stays float32)."""
    os.makedirs(out, exist_ok=True)
    cfg = dict(net.raw_config, torch_dtype=EXPORT_DTYPES[dtype])
    with open(os.path.join(out, "config.json"), "w") as f:
        f.write(make_checkpoint.config_text(cfg))
    tensors = {k: (dtype, p.detach().cpu().numpy().astype(np.float32)) for k, p in net.params.items()}
    safetensors_io.save(os.path.join(out, "model.safetensors"), tensors)


def device_name(device):
    if device == "cuda":
        return torch.cuda.get_device_name()
    return f"CPU ({torch.get_num_threads()} threads)"


def save_state(path, net, opt, rng, step, elapsed, log):
    """Everything needed to continue the run exactly where it stopped (written atomically)."""
    state = {"params": {k: p.detach().cpu() for k, p in net.params.items()},
             "opt": opt.state_dict(), "step": step, "elapsed": elapsed, "rng": rng.bit_generator.state,
             "log": log}
    torch.save(state, path + ".tmp")
    os.replace(path + ".tmp", path)


def load_state(path, net, opt, rng):
    state = torch.load(path, map_location="cpu")
    with torch.no_grad():
        for k, p in net.params.items():
            p.copy_(state["params"][k])
    opt.load_state_dict(state["opt"])  # moves the moments to the parameters' device
    rng.bit_generator.state = state["rng"]
    return state["step"] + 1, state["elapsed"], state["log"]


def acgt_ce(logits, targets):
    """Cross-entropy (nats) and accuracy over A/C/G/T only (logits restricted to ids 7..10)."""
    sel = targets >= 0
    lp = torch.log_softmax(logits[sel][:, 7:11].double(), dim=-1)
    t = targets[sel] - 7
    return float(-lp[torch.arange(len(t)), t].sum()), int((lp.argmax(-1) == t).sum()), int(len(t))


def evaluate_net(net, evset, batch=8):
    nll = acc = n = 0
    with torch.no_grad():
        for i in range(0, len(evset), batch):
            chunk = evset[i:i + batch]
            L = max(len(x) for x, _ in chunk)
            X = np.full((len(chunk), L), mlm.PAD_ID)
            Y = np.full((len(chunk), L), -100)
            for j, (x, y) in enumerate(chunk):  # equal lengths except a record's last window
                X[j, :len(x)], Y[j, :len(y)] = x, y
            if len({len(x) for x, _ in chunk}) > 1:  # keep shorter windows unpadded: run them one by one
                for x, y in chunk:
                    a, b, c = acgt_ce(net.logits(torch.tensor(x)[None])[0], torch.tensor(y))
                    nll, acc, n = nll + a, acc + b, n + c
                continue
            a, b, c = acgt_ce(net.logits(torch.tensor(X)), torch.tensor(Y))
            nll, acc, n = nll + a, acc + b, n + c
    return nll / n, acc / n, n


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(HERE, "cache", "data"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--d-model", type=int, default=128)
    ap.add_argument("--n-layer", type=int, default=4)
    ap.add_argument("--d-state", type=int, default=16)
    ap.add_argument("--expand", type=int, default=2)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seq-len", type=int, default=1024)
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--time-budget", type=float, default=None, help="stop after this many seconds (then export)")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--eval-windows", type=int, default=32)
    ap.add_argument("--chunk", type=int, default=64)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    ap.add_argument("--export-dtype", default="F32", choices=tuple(EXPORT_DTYPES),
                    help="tensor dtype of the exported model.safetensors (F16/BF16: half the size)")
    ap.add_argument("--state", default=None, help="training state file, written at every evaluation")
    ap.add_argument("--resume", action="store_true", help="continue from --state")
    a = ap.parse_args(argv)
    if a.resume and not a.state:
        ap.error("--resume needs --state FILE")
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    if a.device == "cuda":
        torch.set_default_device("cuda")  # every tensor the reference model and the loop create
    else:
        torch.set_flush_denormal(True)  # denormal gradients/states otherwise slow the CPU down many times
    ref.set_precision("float32")
    ref.set_scan("chunked", a.chunk)
    rng = np.random.Generator(np.random.PCG64(a.seed))

    train = [(n, mlm.tokenize(s)) for n, s in mlm.load_split(os.path.join(a.data, "train.npz"))]
    train = [(n, ids) for n, ids in train if len(ids) >= a.seq_len]
    lengths = np.array([len(ids) - a.seq_len + 1 for _, ids in train], dtype=np.float64)
    probs = lengths / lengths.sum()
    held = mlm.load_split(os.path.join(a.data, "heldout.npz"))
    evset = mlm.masked_eval_set(held, a.seq_len, seed=1234, max_windows=a.eval_windows)

    net = Net(a.d_model, a.n_layer, a.d_state, a.expand, seed=a.seed)
    decay = [p for k, p in net.params.items() if p.dim() >= 2 and "A_log" not in k]
    no_decay = [p for k, p in net.params.items() if not (p.dim() >= 2 and "A_log" not in k)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": a.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=a.lr, betas=(0.9, 0.95))
    sched = lambda s: min(1.0, (s + 1) / a.warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, s / a.steps))))
    print(f"[train] {net.n_params():,} parameters; {len(train)} training records, {int(lengths.sum()):,} start "
          f"positions; held-out eval {len(evset)} windows", file=sys.stderr)
    log = {"args": vars(a), "n_params": net.n_params(), "steps": [], "evals": []}
    first, t_before = 1, 0.0
    if a.resume:
        first, t_before, log = load_state(a.state, net, opt, rng)
        print(f"[train] resumed from {a.state} at step {first - 1} ({t_before:.0f}s trained)", file=sys.stderr)
    t0 = time.time() - t_before
    run = {"first_step": first, "device": device_name(a.device), "torch": torch.__version__}
    log.setdefault("runs", []).append(run)
    step = 0
    for step in range(first, a.steps + 1):
        recs = rng.choice(len(train), size=a.batch, p=probs)
        batch = []
        for r in recs:
            ids = train[r][1]
            s = rng.integers(0, len(ids) - a.seq_len + 1)
            w = ids[s:s + a.seq_len]
            if rng.random() < 0.5:
                w = mlm.rc(w)
            batch.append(w)
        x, y = mlm.mask_batch(np.stack(batch), rng)
        for g in opt.param_groups:
            g["lr"] = a.lr * sched(step - 1)
        logits = net.logits(torch.tensor(x))
        yt = torch.tensor(y)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), yt.reshape(-1),
                                                 ignore_index=-100)
        opt.zero_grad()
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(list(net.params.values()), 1.0)
        opt.step()
        el = time.time() - t0
        log["steps"].append({"step": step, "loss": float(loss), "grad_norm": float(gn), "time_s": round(el, 1)})
        if step % 10 == 0:
            print(f"[train] step {step} loss {float(loss):.4f} gn {float(gn):.2f} lr {a.lr * sched(step - 1):.2e} "
                  f"{el:.0f}s", file=sys.stderr, flush=True)
        stop = a.time_budget is not None and el > a.time_budget
        if step % a.eval_every == 0 or step == a.steps or stop:
            ce, acc, n = evaluate_net(net, evset)
            log["evals"].append({"step": step, "heldout_ce": ce, "heldout_acc": acc, "n": n, "time_s": round(el, 1)})
            print(f"[train] step {step} held-out CE {ce:.4f} acc {acc:.4f} (n={n})", file=sys.stderr, flush=True)
            export(net, a.out, dtype=a.export_dtype)
            log["train_time_s"] = round(time.time() - t0, 1)
            log["last_step"] = step
            run.update(last_step=step, seconds=round(time.time() - t0 - t_before, 1))
            with open(os.path.join(a.out, "train_log.json"), "w") as f:
                json.dump(log, f)
            if a.state:
                save_state(a.state, net, opt, rng, step, el, log)
        if stop:
            print(f"[train] time budget reached at step {step}", file=sys.stderr)
            break
    return 0


if __name__ == "__main__":
    sys.exit(main())
