#!/usr/bin/python3
"""Independent float64 reference implementation of Caduceus PH / PS (shared/model-spec.md).

Written from the spec, deliberately literal:
  * Mamba-1 full-sequence forward per spec 1.2 / 1.3 (selective_scan_ref math, sequential scan over L);
  * BiMamba per 2.2 (flip, shared in_proj/out_proj, per-direction conv/x_proj/dt_proj/A_log/D, add);
  * PH per 2.3 (fused add + RMSNorm, pre-norm residual);
  * PS in the LITERAL module form of 2.4: RCPSEmbedding, RCPSMambaBlock (fused path, with the half swap),
    RCPSWrapper, final norm without swap, RCPSLMHead.  No two-stream reformulation here.

Everything is torch.float64 on CPU.  This file is a test oracle, never a runtime dependency.

API:
  model = load_model(checkpoint_dir)
  ids = tokenize("ACGTn-")
  out = forward(model, ids)             # dict: hidden_states (list), last_hidden_state, logits
  both = strand_both(model, ids, layer=K)   # dict: hidden, logits (A,C,G,T), layer_hidden
CLI: caduceus_ref.py -m DIR (--seq TEXT | --fasta FILE) [--layer K] [-o OUT.safetensors]
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

DT = torch.float64
SCAN = "sequential"  # set_scan(): "sequential" (oracle) or "chunked" (selective_scan_chunked, training)
SCAN_CHUNK = 64
SCAN_BLOCK = 256  # time steps whose [t, d_inner, d_state] intermediates are held at once (memory only)
ACGT_IDS = (7, 8, 9, 10)


# ----------------------------------------------------------------------------------------------- tokenizer
def tokenize(text):
    """Caduceus character tokenizer (spec 3), add_special_tokens=False: upper-case; A7 C8 G9 T10 N11; else 6.

    Upper-casing is ASCII-only (the engine reads bytes); non-ASCII characters map to [UNK]=6.
    """
    table = {"A": 7, "C": 8, "G": 9, "T": 10, "N": 11}
    ids = []
    for ch in text:
        up = ch.upper() if ch.isascii() else ch
        ids.append(table.get(up, 6))
    return torch.tensor(ids, dtype=torch.long)


# ----------------------------------------------------------------------------------------------- config
class Config:
    def __init__(self, raw):
        self.raw = raw
        self.d_model = int(raw["d_model"])
        self.n_layer = int(raw["n_layer"])
        vocab = int(raw["vocab_size"])
        mult = int(raw.get("pad_vocab_size_multiple", 1) or 1)
        if vocab % mult != 0:
            vocab += mult - vocab % mult
        self.vocab_size = vocab
        ssm = dict(raw.get("ssm_cfg") or {})
        self.d_state = int(ssm.get("d_state", 16))
        self.d_conv = int(ssm.get("d_conv", 4))
        self.expand = ssm.get("expand", 2)
        self.d_inner = int(self.expand * self.d_model)
        dt_rank = ssm.get("dt_rank", "auto")
        self.dt_rank = math.ceil(self.d_model / 16) if dt_rank == "auto" else int(dt_rank)
        if ssm.get("bias", False):
            raise ValueError("config: ssm_cfg.bias=true (in_proj/out_proj bias) is not supported by the reference")
        if not ssm.get("conv_bias", True):
            raise ValueError("config: ssm_cfg.conv_bias=false is not supported by the reference")
        self.eps = float(raw.get("norm_epsilon", 1e-5))
        self.rcps = bool(raw.get("rcps", False))
        self.bidirectional = bool(raw.get("bidirectional", True))
        self.weight_tie = bool(raw.get("bidirectional_weight_tie", True))
        strategy = raw.get("bidirectional_strategy", "add")
        if self.bidirectional and strategy != "add":
            raise ValueError(f"config: bidirectional_strategy={strategy!r} not supported by the reference")
        if not raw.get("rms_norm", True):
            raise ValueError("config: rms_norm=false (LayerNorm) not supported by the reference")
        if not raw.get("fused_add_norm", True):
            raise ValueError("config: fused_add_norm=false not supported by the reference")
        # complement map: values in JSON key order (OrderedDict(...).values()), extended with identity.
        cmap = raw.get("complement_map")
        if self.rcps and cmap is None:
            raise ValueError("config: rcps=true needs complement_map")
        # PH without a map (unusual): the tokenizer's own complement map (spec 3) is used for --strand both.
        comp = list(cmap.values()) if cmap is not None else [0, 1, 2, 3, 4, 5, 6, 10, 9, 8, 7, 11]
        if len(comp) < self.vocab_size:
            comp = comp + list(range(len(comp), self.vocab_size))
        self.complement = torch.tensor([int(c) for c in comp[: self.vocab_size]], dtype=torch.long)


# ----------------------------------------------------------------------------------------------- weights
class MambaParams:
    def __init__(self, w, pre, tied_from=None):
        g = lambda k: w[pre + k]
        if tied_from is not None:
            self.in_w = tied_from.in_w
            self.out_w = tied_from.out_w
        else:
            self.in_w = g("in_proj.weight")
            self.out_w = g("out_proj.weight")
        self.conv_w = g("conv1d.weight")
        self.conv_b = g("conv1d.bias")
        self.x_w = g("x_proj.weight")
        self.dt_w = g("dt_proj.weight")
        self.dt_b = g("dt_proj.bias")
        self.A_log = g("A_log")
        self.D = g("D")


class Model:
    pass


def set_precision(name):
    """Switch the whole reference to "float64" (the oracle, the default) or "float32" (the plain-loop
    float32 implementation that bench/reference_speed.py times); call before load_model."""
    global DT
    DT = {"float64": torch.float64, "float32": torch.float32}[name]


def load_model(path):
    """Load an HF Caduceus checkpoint dir (config.json + model.safetensors) into DT (float64) tensors."""
    with open(os.path.join(path, "config.json")) as f:
        raw = json.load(f)  # dicts keep JSON key order
    cfg = Config(raw)
    arrays, dtypes, _ = safetensors_io.load(os.path.join(path, "model.safetensors"), with_dtypes=True)
    # Accept both CaduceusForMaskedLM ("caduceus.backbone.") and AutoModel-saved ("backbone.") names.
    w = {}
    for k, v in arrays.items():
        name = k[len("caduceus."):] if k.startswith("caduceus.") else k
        w[name] = (torch.from_numpy(np.asarray(v, dtype=np.float64)).to(DT) if dtypes[k] != "I64"
                   else torch.from_numpy(np.asarray(v)))
    m = Model()
    m.cfg = cfg
    m.dtypes = dtypes
    if cfg.rcps:
        E = w["backbone.embeddings.word_embeddings.embedding.weight"]
        for buf in ("backbone.embeddings.word_embeddings.complement_map", "lm_head.complement_map"):
            if buf in w and not torch.equal(w[buf].long(), cfg.complement):
                raise ValueError(f"{buf} in the file disagrees with config complement_map")
        mix = "mixer.submodule."
    else:
        E = w["backbone.embeddings.word_embeddings.weight"]
        mix = "mixer."
    if tuple(E.shape) != (cfg.vocab_size, cfg.d_model):
        raise ValueError(f"embedding shape {tuple(E.shape)} != ({cfg.vocab_size}, {cfg.d_model})")
    m.E = E  # LM head is tied to it (spec 4.3)
    m.norm_f = w["backbone.norm_f.weight"]
    m.layers = []
    for i in range(cfg.n_layer):
        pre = f"backbone.layers.{i}."
        layer = Model()
        layer.norm_w = w[pre + "norm.weight"]
        layer.fwd = MambaParams(w, pre + mix + "mamba_fwd.")
        if cfg.bidirectional:
            tied = layer.fwd if cfg.weight_tie else None
            layer.rev = MambaParams(w, pre + mix + "mamba_rev.", tied_from=tied)
        else:
            layer.rev = None
        m.layers.append(layer)
    return m


# ----------------------------------------------------------------------------------------------- ops
def silu(x):
    return x * torch.sigmoid(x)


def softplus20(v):
    """PyTorch softplus, beta=1, threshold=20."""
    return torch.where(v > 20.0, v, torch.log1p(torch.exp(torch.clamp(v, max=20.0))))


def rms_norm(x, w, eps):
    """x [L, C] * rsqrt(mean(x^2) + eps) * w."""
    return x * torch.rsqrt(x.pow(2).mean(dim=-1, keepdim=True) + eps) * w


def fused_add_rms_norm(x, residual, w, eps):
    """mamba_ssm rms_norm_fn(prenorm=True): residual_out = x (+ residual); return (norm(residual_out), residual_out)."""
    res = x if residual is None else x + residual
    return rms_norm(res, w, eps), res


def mamba_forward(h, p, cfg):
    """Mamba-1 full-sequence forward (spec 1.2/1.3).  h [L, d_model] (or [B, L, d_model]) -> same shape.

    The scan is the sequential float64 oracle below unless set_scan("chunked") selected the fast
    differentiable scan (fast_scan.py, used by tools/train); both compute the same recurrence."""
    if SCAN != "sequential":
        return _mamba_forward_fast(h, p, cfg)
    if h.dim() == 3:
        return torch.stack([mamba_forward(hb, p, cfg) for hb in h])
    L = h.shape[0]
    Di, N, R, K = cfg.d_inner, cfg.d_state, cfg.dt_rank, cfg.d_conv
    xz = h @ p.in_w.T  # [L, 2Di]
    x, z = xz[:, :Di], xz[:, Di:]
    # causal depthwise conv: c[t,d] = b[d] + sum_k W[d,0,k] * x[t-(K-1)+k, d], zeros before t=0
    xpad = torch.cat([torch.zeros(K - 1, Di, dtype=DT), x], dim=0)
    c = p.conv_b.expand(L, Di).clone()
    for k in range(K):
        c = c + p.conv_w[:, 0, k] * xpad[k:k + L]
    u = silu(c)  # [L, Di]
    x_dbl = u @ p.x_w.T  # [L, R + 2N]
    dt_low, B, C = x_dbl[:, :R], x_dbl[:, R:R + N], x_dbl[:, R + N:R + 2 * N]
    delta = softplus20(dt_low @ p.dt_w.T + p.dt_b)  # bias inside softplus
    A = -torch.exp(p.A_log)  # [Di, N]
    y = torch.empty(L, Di, dtype=DT)
    s = torch.zeros(Di, N, dtype=DT)
    # Sequential recurrence over t (one tensor op per step).  The [t, Di, N] intermediates are materialised
    # for SCAN_BLOCK steps at a time only to bound memory; the state s simply carries on: same math.
    for t0 in range(0, L, SCAN_BLOCK):
        t1 = min(L, t0 + SCAN_BLOCK)
        dA = torch.exp(delta[t0:t1].unsqueeze(-1) * A)  # deltaA[t, d, n]
        dBu = delta[t0:t1].unsqueeze(-1) * B[t0:t1].unsqueeze(1) * u[t0:t1].unsqueeze(-1)  # deltaB_u[t, d, n]
        states = torch.empty_like(dBu)
        for t in range(t1 - t0):
            s = torch.addcmul(dBu[t], dA[t], s, out=states[t])  # s <- deltaA * s + deltaB_u
        y[t0:t1] = torch.einsum("tdn,tn->td", states, C[t0:t1])  # y[t, d] = sum_n s[d, n] C[t, n]
    y = y + p.D * u  # D skip with post-conv u
    y = y * silu(z)  # gate
    return y @ p.out_w.T


def set_scan(name, chunk=64):
    """"sequential" (the float64 oracle, default) or "chunked": the differentiable chunked scan
    (selective_scan_chunked (batched [B, L, .] inputs, autograd; used by tools/train)."""
    global SCAN, SCAN_CHUNK
    if name not in ("sequential", "chunked"):
        raise ValueError(name)
    SCAN, SCAN_CHUNK = name, int(chunk)


def _mamba_forward_fast(h, p, cfg):
    """Same math as mamba_forward, batched over leading dims, any dtype, differentiable (fast scan)."""
    Di, N, R, K = cfg.d_inner, cfg.d_state, cfg.dt_rank, cfg.d_conv
    squeeze = h.dim() == 2
    if squeeze:
        h = h.unsqueeze(0)
    L = h.shape[1]
    xz = h @ p.in_w.T
    x, z = xz[..., :Di], xz[..., Di:]
    xpad = torch.nn.functional.pad(x, (0, 0, K - 1, 0))  # causal depthwise conv, as in mamba_forward
    c = p.conv_b + p.conv_w[:, 0, 0] * xpad[:, 0:L]
    for k in range(1, K):
        c = c + p.conv_w[:, 0, k] * xpad[:, k:k + L]
    u = silu(c)  # [B, L, Di]
    x_dbl = u @ p.x_w.T
    dt_low, B, C = x_dbl[..., :R], x_dbl[..., R:R + N], x_dbl[..., R + N:R + 2 * N]
    delta = softplus20(dt_low @ p.dt_w.T + p.dt_b)
    A = -torch.exp(p.A_log)
    y = selective_scan_chunked(delta, A, B, C, u, chunk=SCAN_CHUNK)
    y = (y + p.D * u) * silu(z)
    out = y @ p.out_w.T
    return out[0] if squeeze else out


class _ChunkedScan(torch.autograd.Function):
    """s_t = exp(delta_t A) * s_{t-1} + delta_t B_t u_t ;  y_t = sum_n s_t C_t  (spec 1.3, s_{-1} = 0).

    Batched [B, L, .] inputs.  The [t, Di, N] factors exp(delta A) and delta B u are computed
    vectorised one chunk of `chunk` steps at a time; the recurrence itself runs in place over the chunk
    (one fused multiply-add per step), with the state carried from chunk to chunk.  backward() is the
    exact adjoint recurrence run in reverse (no autograd graph over the L steps), so training costs
    about two passes over the states instead of a graph with L nodes per direction."""

    @staticmethod
    def forward(ctx, delta, A, Bm, Cm, u, chunk):
        Bsz, L, Di = delta.shape
        N = A.shape[1]
        like = dict(dtype=delta.dtype, device=delta.device)
        states = torch.empty(Bsz, L, Di, N, **like)
        s = torch.zeros(Bsz, Di, N, **like)
        du = delta * u
        for c0 in range(0, L, chunk):
            c1 = min(L, c0 + chunk)
            dA = torch.exp(delta[:, c0:c1, :, None] * A)
            dBu = du[:, c0:c1, :, None] * Bm[:, c0:c1, None, :]
            for t in range(c1 - c0):
                s = torch.addcmul(dBu[:, t], dA[:, t], s, out=states[:, c0 + t])
        y = torch.einsum("bldn,bln->bld", states, Cm)
        ctx.save_for_backward(delta, A, Bm, Cm, u, states)
        ctx.chunk = chunk
        return y

    @staticmethod
    def backward(ctx, gy):
        delta, A, Bm, Cm, u, states = ctx.saved_tensors
        chunk = ctx.chunk
        Bsz, L, Di = delta.shape
        N = A.shape[1]
        gy = gy.contiguous()
        gC = torch.einsum("bld,bldn->bln", gy, states)
        gdelta = torch.empty_like(delta)
        gu = torch.empty_like(u)
        gB = torch.empty_like(Bm)
        gA = torch.zeros_like(A)
        like = dict(dtype=delta.dtype, device=delta.device)
        carry = torch.zeros(Bsz, Di, N, **like)  # d loss / d s_{c1-1} arriving from later steps
        for c0 in reversed(range(0, L, chunk)):
            c1 = min(L, c0 + chunk)
            dl, uc, Bc = delta[:, c0:c1], u[:, c0:c1], Bm[:, c0:c1]
            dA = torch.exp(dl[..., None] * A)
            G = gy[:, c0:c1, :, None] * Cm[:, c0:c1, None, :]  # becomes d loss / d s_t
            T = c1 - c0
            G[:, T - 1] += carry
            for t in range(T - 2, -1, -1):
                G[:, t].addcmul_(dA[:, t + 1], G[:, t + 1])
            carry = dA[:, 0] * G[:, 0]
            if c0 > 0:
                s_prev = states[:, c0 - 1:c1 - 1]
            else:
                s_prev = torch.cat([torch.zeros(Bsz, 1, Di, N, **like), states[:, :c1 - 1]], dim=1)
            g_log = G * s_prev * dA  # d loss / d (delta A)
            GB = torch.einsum("btdn,btn->btd", G, Bc)
            gdelta[:, c0:c1] = torch.einsum("btdn,dn->btd", g_log, A) + GB * uc
            gA += torch.einsum("btdn,btd->dn", g_log, dl)
            gu[:, c0:c1] = GB * dl
            gB[:, c0:c1] = torch.einsum("btdn,btd->btn", G, dl * uc)
        return gdelta, gA, gB, gC, gu, None


def selective_scan_chunked(delta, A, B, C, u, chunk=64):
    """y [B, L, Di] = sum_n s_t C_t of the selective scan (spec 1.3, without D skip and gate); differentiable."""
    return _ChunkedScan.apply(delta.contiguous(), A, B.contiguous(), C.contiguous(), u.contiguous(), int(chunk))


def bimamba(h, layer, cfg):
    """BiMambaWrapper, strategy "add": M_fwd(h) + flip_L(M_rev(flip_L(h)))."""
    out = mamba_forward(h, layer.fwd, cfg)
    if layer.rev is not None:  # time axis is -2 ([L, D] or batched [B, L, D])
        out = out + torch.flip(mamba_forward(torch.flip(h, dims=[-2]), layer.rev, cfg), dims=[-2])
    return out


def RC(x):
    """RCPSWrapper.rc on one sequence [L, C]: flip length and channels."""
    return torch.flip(x, dims=[0, 1])


def rc_ids(ids, comp):
    return comp[torch.flip(ids, dims=[0])]


# ----------------------------------------------------------------------------------------------- models
def forward_ph(m, ids):
    cfg = m.cfg
    h = m.E[ids]
    r = None
    hidden_states = []
    for layer in m.layers:
        hidden_states.append(h)
        normed, r = fused_add_rms_norm(h, r, layer.norm_w, cfg.eps)
        h = bimamba(normed, layer, cfg)
    out = rms_norm(h + r, m.norm_f, cfg.eps)  # norm_f, fused path, prenorm=False
    hidden_states.append(out)
    logits = out @ m.E.T
    return {"hidden_states": hidden_states, "last_hidden_state": out, "logits": logits}


def rcps_embedding(m, ids):
    """RCPSEmbedding: cat([E[ids], RC(E[rc(ids)])], -1)."""
    return torch.cat([m.E[ids], RC(m.E[rc_ids(ids, m.cfg.complement)])], dim=-1)


def rcps_wrapper_bimamba(h, layer, cfg):
    """RCPSWrapper(BiMamba): cat([m(x[..., :D]), RC(m(RC(x[..., D:])))], -1)."""
    D = cfg.d_model
    return torch.cat([bimamba(h[:, :D], layer, cfg), RC(bimamba(RC(h[:, D:]), layer, cfg))], dim=-1)


def rcps_mamba_block(h, r, layer, cfg):
    """RCPSMambaBlock.forward, fused_add_norm path, literally (note the half swap)."""
    D = cfg.d_model
    w, eps = layer.norm_w, cfg.eps
    hs_fwd, res_fwd = fused_add_rms_norm(h[:, D:], None if r is None else r[:, D:], w, eps)
    hs_rc, res_rc = fused_add_rms_norm(RC(h[:, :D]), None if r is None else RC(r[:, :D]), w, eps)
    h2 = torch.cat([hs_fwd, RC(hs_rc)], dim=-1)
    r2 = torch.cat([res_fwd, RC(res_rc)], dim=-1)
    return rcps_wrapper_bimamba(h2, layer, cfg), r2


def rcps_final_norm(h, r, w, cfg):
    """CaduceusMixerModel fused + rcps final norm (prenorm=False): no swap."""
    D = cfg.d_model
    out_fwd = rms_norm(h[:, :D] + r[:, :D], w, cfg.eps)
    out_rc = rms_norm(RC(h[:, D:]) + RC(r[:, D:]), w, cfg.eps)
    return torch.cat([out_fwd, RC(out_rc)], dim=-1)


def rcps_lm_head(x, m):
    """RCPSLMHead: linear(x[..., :D], E) + linear(flip_C(x[..., D:]), E[comp])."""
    D = m.cfg.d_model
    return x[:, :D] @ m.E.T + torch.flip(x[:, D:], dims=[-1]) @ m.E[m.cfg.complement].T


def forward_ps(m, ids):
    cfg = m.cfg
    h = rcps_embedding(m, ids)
    r = None
    hidden_states = []
    for layer in m.layers:
        hidden_states.append(h)
        h, r = rcps_mamba_block(h, r, layer, cfg)
    out = rcps_final_norm(h, r, m.norm_f, cfg)
    hidden_states.append(out)
    return {"hidden_states": hidden_states, "last_hidden_state": out, "logits": rcps_lm_head(out, m)}


def forward(m, ids):
    """HF-equivalent outputs for one sequence: hidden_states (n_layer+1 list), last_hidden_state, logits."""
    ids = torch.as_tensor(ids, dtype=torch.long)
    if ids.numel() == 0:
        raise ValueError("empty sequence")
    if int(ids.max()) >= m.cfg.vocab_size:
        raise ValueError("token id out of the embedding range")
    with torch.no_grad():
        return forward_ps(m, ids) if m.cfg.rcps else forward_ph(m, ids)


def strand_both(m, ids, layer=None, fwd_out=None, forward_fn=None):
    """design.md 5 `--strand both`: d_model-wide strand-averaged hidden (and hidden_states[layer]) and ACGT logits.

    PH: second pass on rc(ids); hidden[l] = (h(x)[l] + h(rcx)[L-1-l]) / 2,
        logits[l, v] = (logits(x)[l, v] + logits(rcx)[L-1-l, comp v]) / 2.
    PS: hidden[l, c] = (a[l, c] + b[l, D-1-c]) / 2 from one pass; logits as they are.
    """
    ids = torch.as_tensor(ids, dtype=torch.long)
    cfg = m.cfg
    acgt = torch.tensor(ACGT_IDS)
    forward_fn = forward_fn or forward
    f = fwd_out if fwd_out is not None else forward_fn(m, ids)
    res = {}
    if cfg.rcps:
        D = cfg.d_model
        avg = lambda x: (x[:, :D] + torch.flip(x[:, D:], dims=[1])) / 2
        res["hidden"] = avg(f["last_hidden_state"])
        res["logits"] = f["logits"][:, acgt]
        if layer is not None:
            res["layer_hidden"] = avg(f["hidden_states"][layer])
    else:
        g = forward_fn(m, rc_ids(ids, cfg.complement))
        back = lambda x: torch.flip(x, dims=[0])
        res["hidden"] = (f["last_hidden_state"] + back(g["last_hidden_state"])) / 2
        res["logits"] = (f["logits"][:, acgt] + back(g["logits"])[:, cfg.complement[acgt]]) / 2
        if layer is not None:
            res["layer_hidden"] = (f["hidden_states"][layer] + back(g["hidden_states"][layer])) / 2
    return res


# ----------------------------------------------------------------------------------------------- CLI
def read_fasta(path):
    """[(name, sequence)] from a plain or gzipped FASTA (name = first word of the header)."""
    import gzip
    opener = gzip.open if path.endswith(".gz") else open
    recs, name, parts = [], None, []
    with opener(path, "rt") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith(">"):
                if name is not None:
                    recs.append((name, "".join(parts)))
                name, parts = line[1:].split()[0] if line[1:].split() else "", []
            elif line and not line.startswith(";"):
                parts.append(line.strip())
    if name is not None:
        recs.append((name, "".join(parts)))
    return recs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-m", "--model", required=True, help="checkpoint dir (config.json + model.safetensors)")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--seq", help="DNA text")
    src.add_argument("--fasta", help="FASTA file (first record)")
    ap.add_argument("--layer", type=int, default=None, help="also output strand-averaged hidden_states[K]")
    ap.add_argument("-o", "--out", help="write outputs to this safetensors file (F32)")
    a = ap.parse_args(argv)
    m = load_model(a.model)
    seq = a.seq if a.seq is not None else read_fasta(a.fasta)[0][1]
    ids = tokenize(seq)
    f = forward(m, ids)
    b = strand_both(m, ids, layer=a.layer, fwd_out=f)
    print(f"kind={'ps' if m.cfg.rcps else 'ph'} L={len(ids)} last_hidden_state{tuple(f['last_hidden_state'].shape)}"
          f" logits{tuple(f['logits'].shape)}")
    for i, h in enumerate(f["hidden_states"]):
        print(f"hidden_states[{i}] std={h.std().item():.4g} max|.|={h.abs().max().item():.4g}")
    if a.out:
        t = {f"hidden_states.{i}": ("F32", h.numpy()) for i, h in enumerate(f["hidden_states"])}
        t["last_hidden_state"] = ("F32", f["last_hidden_state"].numpy())
        t["logits"] = ("F32", f["logits"].numpy())
        t["strand_both.hidden"] = ("F32", b["hidden"].numpy())
        t["strand_both.logits"] = ("F32", b["logits"].numpy())
        if a.layer is not None:
            t[f"strand_both.layer{a.layer}.hidden"] = ("F32", b["layer_hidden"].numpy())
        t["input_ids"] = ("I64", ids.numpy())
        safetensors_io.save(a.out, t, metadata={"sequence": seq})
    return 0


if __name__ == "__main__":
    sys.exit(main())
