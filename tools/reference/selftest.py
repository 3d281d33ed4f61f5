#!/usr/bin/python3
"""Self-tests of the reference tooling (asserts; exit 0 on success).  usage: selftest.py [--quick]

  1. safetensors_io round trip for F32, F16, BF16, F64, I64 (+ layout: alignment, offsets, no holes)
  2. checkpoint structure: full-size PH 274 tensors / 7,725,312 params, PS 276 / 7,725,344 elements,
     published key names and shapes, tied tensors absent, config.json sha256 equal to the hub's (spec 2.1)
  3. tokenizer
  4. Mamba full-sequence forward == the single-token step recurrence (spec 1.4), float64
  5. PS RC-equivariance (spec 7.8a) for every hidden state and the logits, float64 (~1e-12)
  6. literal PS == an independent two-stream formulation (spec 2.4), float64
  7. strand_both is strand-symmetric for PH and PS
  8. committed fixtures are reproduced bit for bit by make_fixtures.py
  9. compare_embed.py accepts an exact mock output and rejects a perturbed one
 10. score_ref.py: window/status rules, llr sign (REF->ALT == -(ALT->REF) on the ALT contig), PS strand
     symmetry of llr (odd W), emb scores 0 for ALT == REF, forward-pass counts, CLI JSON
"""
import hashlib
import json
import os
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import caduceus_ref as ref  # noqa: E402
import compare_embed  # noqa: E402
import make_checkpoint  # noqa: E402
import make_fixtures  # noqa: E402
import safetensors_io  # noqa: E402
import score_ref  # noqa: E402

torch.set_grad_enabled(False)
TMP = tempfile.TemporaryDirectory(prefix="gm_ref_selftest_")


def rel(a, b):
    a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    return (torch.linalg.norm(a - b) / torch.linalg.norm(b)).item()


def test_safetensors():
    rng = np.random.default_rng(0)
    t = {
        "f64": ("F64", rng.normal(size=(3, 5))),
        "f32": ("F32", rng.normal(size=(7,)).astype(np.float32)),
        "f16": ("F16", rng.normal(size=(2, 3, 4))),
        "bf16": ("BF16", np.concatenate([rng.normal(size=9) * 100, [1 + 2 ** -8, 1 + 3 * 2 ** -8, -0.0]])),
        "i64": ("I64", np.array([0, -1, 2 ** 40, 7], dtype=np.int64)),
        "scalar": ("F32", np.array(3.5, dtype=np.float32)),
    }
    p = os.path.join(TMP.name, "rt.safetensors")
    safetensors_io.save(p, t, metadata={"format": "pt", "note": "x"})
    back, dtypes, meta = safetensors_io.load(p, with_dtypes=True)
    assert meta == {"format": "pt", "note": "x"}, meta
    for k, (dt, v) in t.items():
        assert dtypes[k] == dt and back[k].shape == np.asarray(v).shape, k
        if dt == "I64":
            assert np.array_equal(back[k], v)
        else:
            assert np.array_equal(back[k].astype(np.float64), safetensors_io.round_to(v, dt)), k
    # BF16 rounding: ties to even
    assert back["bf16"][-3] == 1.0 and back["bf16"][-2] == 1 + 2 ** -6
    assert safetensors_io.round_to([1 + 2 ** -8], "BF16")[0] == 1.0
    assert safetensors_io.round_to([1 + 3 * 2 ** -8], "BF16")[0] == 1 + 2 ** -6
    blob = open(p, "rb").read()
    n = int.from_bytes(blob[:8], "little")
    assert (8 + n) % 8 == 0 and blob[8:9] == b"{"
    hdr = json.loads(blob[8:8 + n])
    assert list(hdr)[0] == "__metadata__"
    spans = sorted(v["data_offsets"] for k, v in hdr.items() if k != "__metadata__")
    assert spans[0][0] == 0 and all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert 8 + n + spans[-1][1] == len(blob)
    # second round trip is byte-identical
    p2 = os.path.join(TMP.name, "rt2.safetensors")
    safetensors_io.save(p2, {k: (dtypes[k], v) for k, v in back.items()}, metadata=meta)
    assert open(p2, "rb").read() == blob
    print("ok  safetensors round trip F32 F16 BF16 F64 I64")


def expected_shapes(cfg, kind):
    D, Di, N, K, R, V = cfg.d_model, cfg.d_inner, cfg.d_state, cfg.d_conv, cfg.dt_rank, cfg.vocab_size
    mix = "mixer.submodule." if kind == "ps" else "mixer."
    s = {}
    for i in range(cfg.n_layer):
        p = f"caduceus.backbone.layers.{i}."
        s[p + "norm.weight"] = (D,)
        for d in ("fwd", "rev"):
            m = f"{p}{mix}mamba_{d}."
            if d == "fwd":
                s[m + "in_proj.weight"] = (2 * Di, D)
                s[m + "out_proj.weight"] = (D, Di)
            s[m + "conv1d.weight"] = (Di, 1, K)
            s[m + "conv1d.bias"] = (Di,)
            s[m + "x_proj.weight"] = (R + 2 * N, Di)
            s[m + "dt_proj.weight"] = (Di, R)
            s[m + "dt_proj.bias"] = (Di,)
            s[m + "A_log"] = (Di, N)
            s[m + "D"] = (Di,)
    s["caduceus.backbone.norm_f.weight"] = (D,)
    if kind == "ps":
        s["caduceus.backbone.embeddings.word_embeddings.embedding.weight"] = (V, D)
        s["caduceus.backbone.embeddings.word_embeddings.complement_map"] = (V,)
        s["lm_head.complement_map"] = (V,)
    else:
        s["caduceus.backbone.embeddings.word_embeddings.weight"] = (V, D)
    return s


def test_checkpoint_structure(quick):
    hub_config_sha = {"ps": "d0f8eaf9", "ph": "8e2b4f51"}
    for kind in ("ph", "ps"):
        d = os.path.join(TMP.name, f"{kind}_full")
        n, e = make_checkpoint.write_checkpoint(d, kind, seed=1, **make_checkpoint_full())
        t, dtypes, meta = safetensors_io.load(os.path.join(d, "model.safetensors"), with_dtypes=True)
        cfg = ref.load_model(d).cfg
        assert (n, e) == {"ph": (274, 7_725_312), "ps": (276, 7_725_344)}[kind], (kind, n, e)
        assert len(t) == n and sum(v.size for v in t.values()) == e
        assert {k: v.shape for k, v in t.items()} == expected_shapes(cfg, kind)
        assert meta == {"format": "pt"}
        assert all(dtypes[k] == ("I64" if k.endswith("complement_map") else "F32") for k in t)
        if kind == "ps":
            assert t["lm_head.complement_map"].tolist() == [0, 1, 2, 3, 4, 5, 6, 10, 9, 8, 7, 11, 12, 13, 14, 15]
            assert os.path.getsize(os.path.join(d, "model.safetensors")) == 30_937_760  # hub file size
        sha = hashlib.sha256(open(os.path.join(d, "config.json"), "rb").read()).hexdigest()
        assert sha.startswith(hub_config_sha[kind]), (kind, sha)
    # vocab padding and dtypes on the odd fixture shape
    d = os.path.join(TMP.name, "odd16")
    make_checkpoint.write_checkpoint(d, "ps", seed=3, dtype="f16", **make_fixtures.ODD)
    m = ref.load_model(d)
    assert m.E.shape == (16, 24) and m.cfg.vocab_size == 16 and m.cfg.dt_rank == 5
    assert m.cfg.complement.tolist() == [0, 1, 2, 3, 4, 5, 6, 10, 9, 8, 7, 11, 12, 13, 14, 15]
    assert set(m.dtypes.values()) == {"F16", "I64"}
    print("ok  checkpoint structure: PH 274 / 7,725,312; PS 276 / 7,725,344; hub config sha256 reproduced")


def make_checkpoint_full():
    return dict(d_model=256, n_layer=16, d_state=16, expand=2, d_conv=4, dt_rank="auto", vocab_size=16)


def test_tokenizer():
    ids = ref.tokenize("ACGTNacgtn-RYu.x \u00e9").tolist()
    assert ids == [7, 8, 9, 10, 11, 7, 8, 9, 10, 11, 6, 6, 6, 6, 6, 6, 6, 6], ids
    print("ok  tokenizer")


def mamba_step_reference(h, p, cfg):
    """Mamba.step (spec 1.4), one token at a time with a rolling conv state."""
    Di, N, R, K = cfg.d_inner, cfg.d_state, cfg.dt_rank, cfg.d_conv
    conv_state = torch.zeros(Di, K, dtype=torch.float64)
    ssm = torch.zeros(Di, N, dtype=torch.float64)
    A = -torch.exp(p.A_log)
    outs = []
    for t in range(h.shape[0]):
        xz = p.in_w @ h[t]
        x, z = xz[:Di], xz[Di:]
        conv_state = torch.roll(conv_state, -1, dims=-1)
        conv_state[:, -1] = x
        x = (conv_state * p.conv_w[:, 0, :]).sum(-1) + p.conv_b
        x = x * torch.sigmoid(x)
        dbl = p.x_w @ x
        dt, B, C = dbl[:R], dbl[R:R + N], dbl[R + N:]
        dt = torch.nn.functional.softplus(p.dt_w @ dt + p.dt_b)
        ssm = ssm * torch.exp(dt[:, None] * A) + x[:, None] * (dt[:, None] * B[None, :])
        y = ssm @ C + p.D * x
        y = y * (z * torch.sigmoid(z))
        outs.append(p.out_w @ y)
    return torch.stack(outs)


def small_model(kind, seed=11, **kw):
    shape = dict(make_fixtures.ODD)
    shape.update(kw)
    d = os.path.join(TMP.name, f"{kind}_small_{seed}")
    make_checkpoint.write_checkpoint(d, kind, seed=seed, **shape)
    return ref.load_model(d)


def random_ids(n, seed):
    seq = make_fixtures.make_sequence(seed, n)
    return ref.tokenize(seq)


def test_mamba_step():
    m = small_model("ph", seed=12)
    h = torch.randn(57, m.cfg.d_model, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    for p in (m.layers[0].fwd, m.layers[1].rev):
        e = rel(ref.mamba_forward(h, p, m.cfg), mamba_step_reference(h, p, m.cfg))
        assert e < 1e-13, e
    print("ok  Mamba full-sequence forward == step recurrence")


def test_ps_equivariance():
    for seed, kw in ((21, {}), (22, make_fixtures.TINY)):
        m = small_model("ps", seed=seed, **kw)
        ids = random_ids(150, seed)
        rc = ref.rc_ids(ids, m.cfg.complement)
        f, g = ref.forward(m, ids), ref.forward(m, rc)
        worst = 0.0
        for hf, hg in zip(f["hidden_states"], g["hidden_states"]):
            worst = max(worst, rel(hg, ref.RC(hf)))
        comp = m.cfg.complement
        worst = max(worst, rel(g["logits"], torch.flip(f["logits"], dims=[0])[:, comp]))
        assert worst < 1e-12, worst
        # and it is not trivially satisfied: the two strands differ
        assert rel(g["last_hidden_state"], f["last_hidden_state"]) > 1e-2
    print(f"ok  PS RC-equivariance (worst rel {worst:.1e})")


def two_stream_ps(m, ids):
    """Spec 2.4 'equivalent two-stream formulation', written independently of the literal code path."""
    cfg = m.cfg
    flipLC = lambda x: torch.flip(x, dims=[0, 1])
    comp = cfg.complement
    P_h, Q_h = m.E[ids], m.E[comp[torch.flip(ids, dims=[0])]]
    P_r = Q_r = None
    for layer in m.layers:
        P_s = P_h if P_r is None else P_h + P_r
        Q_s = Q_h if Q_r is None else Q_h + Q_r
        P_r, Q_r = flipLC(Q_s), flipLC(P_s)
        P_h = ref.bimamba(ref.rms_norm(P_r, layer.norm_w, cfg.eps), layer, cfg)
        Q_h = ref.bimamba(ref.rms_norm(Q_r, layer.norm_w, cfg.eps), layer, cfg)
    F_P = ref.rms_norm(P_h + P_r, m.norm_f, cfg.eps)
    F_Q = ref.rms_norm(Q_h + Q_r, m.norm_f, cfg.eps)
    last = torch.cat([F_P, flipLC(F_Q)], dim=-1)
    logits = F_P @ m.E.T + torch.flip(F_Q, dims=[0]) @ m.E[comp].T
    return last, logits


def test_two_stream():
    m = small_model("ps", seed=31)
    ids = random_ids(140, 31)
    f = ref.forward(m, ids)
    last, logits = two_stream_ps(m, ids)
    e = max(rel(last, f["last_hidden_state"]), rel(logits, f["logits"]))
    assert e < 1e-13, e
    # the fused-path half swap matters: the non-swapped (RCPSAddNormWrapper-like) block gives other numbers
    orig = ref.rcps_mamba_block

    def no_swap(h, r, layer, cfg):
        D = cfg.d_model
        a, ra = ref.fused_add_rms_norm(h[:, :D], None if r is None else r[:, :D], layer.norm_w, cfg.eps)
        b, rb = ref.fused_add_rms_norm(ref.RC(h[:, D:]), None if r is None else ref.RC(r[:, D:]), layer.norm_w, cfg.eps)
        return ref.rcps_wrapper_bimamba(torch.cat([a, ref.RC(b)], -1), layer, cfg), torch.cat([ra, ref.RC(rb)], -1)
    ref.rcps_mamba_block = no_swap
    try:
        g = ref.forward(m, ids)
    finally:
        ref.rcps_mamba_block = orig
    assert rel(g["last_hidden_state"], f["last_hidden_state"]) > 1e-2
    print(f"ok  literal PS == two-stream formulation (rel {e:.1e}); the half swap matters")


def test_strand_both_symmetry():
    for kind in ("ph", "ps"):
        m = small_model(kind, seed=41)
        ids = random_ids(120, 41)
        rc = ref.rc_ids(ids, m.cfg.complement)
        a, b = ref.strand_both(m, ids, layer=1), ref.strand_both(m, rc, layer=1)
        flip = lambda x: torch.flip(x, dims=[0])
        e = max(rel(b["hidden"], flip(a["hidden"])), rel(b["layer_hidden"], flip(a["layer_hidden"])),
                rel(b["logits"], torch.flip(a["logits"], dims=[0, 1])))  # ACGT -> TGCA is a column flip
        assert e < 1e-12, (kind, e)
        assert a["hidden"].shape == (120, m.cfg.d_model)
    print("ok  strand_both strand-symmetric (PH, PS)")


def test_fixtures_reproducible():
    gold = os.path.join(ROOT, "tests", "data", "golden")
    if not os.path.isdir(gold):
        print("skip fixtures not generated yet")
        return
    out = os.path.join(TMP.name, "fixtures")
    import contextlib
    import io
    with contextlib.redirect_stdout(io.StringIO()):
        make_fixtures.main(["--root", out])
    for name in make_fixtures.FIXTURES:
        for rel_path in (f"tests/data/golden/{name}.safetensors", f"tests/data/models/{name}/model.safetensors",
                         f"tests/data/models/{name}/config.json"):
            a = open(os.path.join(ROOT, rel_path), "rb").read()
            b = open(os.path.join(out, rel_path), "rb").read()
            assert a == b, f"{rel_path} differs from a fresh make_fixtures.py run"
        # golden content sanity
        g, _, meta = safetensors_io.load(os.path.join(ROOT, "tests/data/golden", f"{name}.safetensors"), True)
        assert meta["model"] == name and len(meta["sequence"]) == g["input_ids"].shape[0]
        assert np.array_equal(g["input_ids"], ref.tokenize(meta["sequence"]).numpy())
        assert {6, 7, 8, 9, 10, 11} <= set(g["input_ids"].tolist())
    print(f"ok  committed fixtures reproduced bit for bit ({len(make_fixtures.FIXTURES)})")


def write_mock_h5(model_dir, fasta, out, strand, windows, perturb=0.0):
    """Write the embed HDF5 layout from the reference itself (what a perfect engine would write)."""
    import h5py
    r = compare_embed.Reference(model_dir)
    recs = dict(ref.read_fasta(fasta))
    embs, logs, pooled, offs, o = [], [], [], [], 0
    for name, s, e in windows:
        emb, lg = r.outputs(recs[name][s:e], strand, None)
        embs.append(emb)
        logs.append(lg)
        pooled.append(emb.mean(0))
        offs.append(o)
        o += e - s
    pos = np.concatenate(embs).astype(np.float32)
    if perturb:
        pos[3, 1] += perturb * np.linalg.norm(pos)
    with h5py.File(out, "w") as h:
        h.attrs["strand"] = strand
        h.attrs["format"] = "genomamba-embeddings"
        h.create_dataset("windows/name", data=[w[0] for w in windows], dtype=h5py.string_dtype())
        h.create_dataset("windows/start", data=np.array([w[1] for w in windows], dtype=np.int64))
        h.create_dataset("windows/end", data=np.array([w[2] for w in windows], dtype=np.int64))
        h.create_dataset("windows/embedding", data=np.stack(pooled).astype(np.float32))
        h.create_dataset("windows/offset", data=np.array(offs, dtype=np.int64))
        h.create_dataset("positions/embedding", data=pos)
        h.create_dataset("positions/logits", data=np.concatenate(logs).astype(np.float32))


def test_compare_embed():
    import contextlib
    import io
    fasta = os.path.join(TMP.name, "mock.fa")
    with open(fasta, "w") as f:
        f.write(">r1 x\n" + make_fixtures.make_sequence(51, 130) + "\n>r2\n" + make_fixtures.make_sequence(52, 90) + "\n")
    windows = [("r1", 0, 64), ("r1", 64, 128), ("r1", 128, 130), ("r2", 10, 90)]
    for kind in ("ph", "ps"):
        m_dir = os.path.join(TMP.name, f"{kind}_cmp")
        make_checkpoint.write_checkpoint(m_dir, kind, seed=61, **make_fixtures.TINY)
        for strand in ("fwd", "both"):
            h5 = os.path.join(TMP.name, f"{kind}_{strand}.h5")
            write_mock_h5(m_dir, fasta, h5, strand, windows)
            with contextlib.redirect_stdout(io.StringIO()):
                rc = compare_embed.main([m_dir, fasta, h5])
            assert rc == 0, (kind, strand, rc)
            write_mock_h5(m_dir, fasta, h5, strand, windows, perturb=1e-3)
            with contextlib.redirect_stdout(io.StringIO()):
                rc = compare_embed.main([m_dir, fasta, h5])
            assert rc == 1, (kind, strand, rc)
            with contextlib.redirect_stdout(io.StringIO()):  # wrong strand -> shape or value mismatch
                rc = compare_embed.main([m_dir, fasta, h5, "--strand", "fwd" if strand == "both" else "both"])
            assert rc != 0
    print("ok  compare_embed.py passes a perfect output and rejects a perturbed one")


def test_score_ref():
    import contextlib
    import io
    import math
    sr = score_ref
    # window rules (docs/scores.md)
    assert sr.centred_window(10, 20, 3, 1) == (0, 10)
    assert sr.centred_window(100, 11, 50, 1) == (45, 56) and sr.centred_window(100, 10, 50, 4) == (46, 56)
    assert sr.centred_window(100, 11, 2, 1) == (0, 11) and sr.centred_window(100, 11, 99, 1) == (89, 100)
    assert sr.grid_window(100, 10, 50, 1) == (45, 55) and sr.grid_window(100, 10, 47, 1) == (40, 50)
    assert sr.grid_window(100, 8, 10, 1) == (4, 12)  # tie between starts 4 and 8: the smaller
    assert sr.grid_window(101, 10, 100, 1) == (91, 101) and sr.grid_window(101, 10, 94, 1) == (90, 100)
    assert sr.alt_window(100, 95, 5, 1, 90, 100) == (86, 96)  # deletion at the end: flank from the left
    assert sr.alt_window(100, 95, 1, 5, 90, 100) == (90, 100) and sr.alt_window(8, 2, 1, 4, 0, 8) == (0, 8)
    rng = np.random.default_rng(5)
    contig = "".join(rng.choice(list("ACGT"), size=30))
    for _ in range(300):
        p, r, a = int(rng.integers(0, 28)), int(rng.integers(1, 3)), int(rng.integers(1, 4))
        alt = "".join(rng.choice(list("acgt"), size=a))
        full = contig[:p] + alt + contig[p + r:]
        s, e = sorted(int(x) for x in rng.integers(0, len(full) + 1, size=2))
        assert sr.alt_slice(contig, p, r, alt, s, e) == full[s:e]
    # statuses (design 8)
    st = lambda ra, alt, p=4, c="ACGTNACGTA": sr.variant_status(c, p, ra, alt)
    assert [st("n", "A"), st("N", "n"), st("NA", "<DEL>"), st("N", "A]1:5]"), st("N", ".A"), st("N", "*"),
            st("N", "R"), st("C", "A"), st("NACGTA", "A"), st("NACGTAC", "A"), st("N", "A", c=None),
            st("A", "C", p=-1)] == [0, 2, 2, 2, 2, 2, 2, 1, 0, 3, 3, 3]

    n, W = 150, 41
    seq = list("".join(np.random.default_rng(71).choice(list("ACGT"), size=n)))
    for i in range(30, 60):
        seq[i] = seq[i].lower()
    seq = "".join(seq)
    # SNVs (one inside the lowercase stretch, two at the clamped ends) and an MNV of odd length
    snvs = [(70, 1), (3, 1), (147, 1), (40, 1), (100, 3)]
    other = {"A": "G", "C": "T", "G": "A", "T": "C"}

    def variant(s, p, r, change=(0, 2)):
        ra = s[p:p + r]
        alt = "".join(other[b.upper()] if i in change else b for i, b in enumerate(ra))
        return ra, alt

    models = {k: small_model(k, seed=81, **make_fixtures.TINY) for k in ("ph", "ps")}
    close = lambda x, y, tol=1e-9: abs(x - y) <= tol * max(1.0, abs(x), abs(y))
    for kind, m in models.items():
        for strand in ("fwd", "both"):
            sc = sr.Scorer(m, {"c": seq}, W, strand)
            for p, r in snvs:
                ra, alt = variant(seq, p, r)
                x = sc.score("c", p + 1, ra, alt)["llr"]
                alt_seq = seq[:p] + alt + seq[p + r:]
                y = sr.Scorer(m, {"c": alt_seq}, W, strand).score("c", p + 1, alt, ra, ["llr"])["llr"]
                assert math.isfinite(x) and close(x, -y), (kind, strand, p, x, y)
            # ALT == REF: emb scores 0, llr undefined; an indel: llr NaN, emb defined
            same = sc.score("c", 71, seq[70], seq[70])
            assert same["status"] == 0 and math.isnan(same["llr"]) and math.isnan(same["wt_llr"])
            assert abs(same["emb_cos"]) < 1e-12 and same["emb_l2"] == 0.0, same
            for ra, alt in ((seq[80:84], seq[80]), (seq[80], seq[80] + "ACG")):
                d = sc.score("c", 81, ra, alt)
                assert math.isnan(d["llr"]) and math.isnan(d["wt_llr"]) and d["emb_l2"] > 0 and d["emb_cos"] > 0
    # strand symmetry: the variant scored on the reverse-complemented contig (mirrored position, complemented
    # alleles) gives the same llr for PS (any strand) and PH --strand both; PH --strand fwd does not (odd W,
    # odd REF length: the centred windows are mirror images).  Embedding scores (SNVs, --strand both) too.
    rc_seq = sr.revcomp(seq)
    ph_fwd_diff = 0.0
    for kind, m in models.items():
        for strand in ("fwd", "both"):
            a = sr.Scorer(m, {"c": seq}, W, strand)
            b = sr.Scorer(m, {"c": rc_seq}, W, strand)
            for p, r in snvs:
                ra, alt = variant(seq, p, r)
                x = a.score("c", p + 1, ra, alt)
                y = b.score("c", n - p - r + 1, sr.revcomp(ra), sr.revcomp(alt))
                if kind == "ps" or strand == "both":
                    assert close(x["llr"], y["llr"]), (kind, strand, p, x, y)
                else:
                    ph_fwd_diff = max(ph_fwd_diff, abs(x["llr"] - y["llr"]))
                if strand == "both" and r == 1:
                    assert close(x["emb_cos"], y["emb_cos"]) and close(x["emb_l2"], y["emb_l2"]), (kind, p)
    assert ph_fwd_diff > 1e-6, ph_fwd_diff
    ps_f = sr.Scorer(models["ps"], {"c": seq}, W, "fwd").score("c", 71, *variant(seq, 70, 1))
    ps_b = sr.Scorer(models["ps"], {"c": seq}, W, "both").score("c", 71, *variant(seq, 70, 1))
    assert ps_f["llr"] == ps_b["llr"] and ps_f["wt_llr"] == ps_b["wt_llr"]
    # forward passes: wt_llr shares the grid window; PH --strand both doubles every pass
    for kind, strand, want in (("ps", "fwd", 1), ("ps", "both", 1), ("ph", "both", 2)):
        sc = sr.Scorer(models[kind], {"c": seq}, W, strand)
        for p in (62, 63, 66, 69):  # all in the grid window [40, 81)
            sc.score("c", p + 1, *variant(seq, p, 1), scores=["wt_llr"])
        assert sc.n_forward == want, (kind, strand, sc.n_forward)
        sc.score("c", 64, *variant(seq, 63, 1), scores=["llr"])
        assert sc.n_forward == 2 * want
    # CLI: genomamba's own TSV layout as input (extra columns ignored), JSON with nulls
    fa, tsv, js = (os.path.join(TMP.name, x) for x in ("score.fa", "score.tsv", "score.json"))
    with open(fa, "w") as f:
        f.write(">c desc\n" + "\n".join(seq[i:i + 60] for i in range(0, n, 60)) + "\n")
    rows = [("c", 71) + variant(seq, 70, 1), ("c", 81, seq[80:84], seq[80]), ("c", 5, "A" if seq[4] != "A" else "C", "G"),
            ("chrX", 5, "A", "C"), ("c", 9, seq[8], "<DEL>")]
    with open(tsv, "w") as f:
        f.write("chrom\tpos\tid\tref\talt\tallele\tstatus\n")
        f.writelines(f"{c}\t{p}\t.\t{ra}\t{alt}\t1\t0\n" for c, p, ra, alt in rows)
    d = os.path.join(TMP.name, "ph_small_81")
    with contextlib.redirect_stdout(io.StringIO()):
        assert score_ref.main(["-m", d, "-f", fa, "--variants", tsv, "--window", str(W), "--strand", "both",
                               "-o", js]) == 0
    got = json.load(open(js))
    assert [g["status"] for g in got] == [0, 0, 1, 3, 2]
    assert got[1]["llr"] is None and got[1]["emb_l2"] is not None and got[2]["llr"] is None
    want = sr.Scorer(models["ph"], {"c": seq}, W, "both").score(*rows[0])
    assert all(close(got[0][k], want[k], 1e-12) for k in sr.SCORES), (got[0], want)
    print("ok  score_ref: windows, statuses, llr sign, strand symmetry, emb(ALT == REF) = 0, pass counts, CLI")


def main():
    quick = "--quick" in sys.argv
    test_safetensors()
    test_tokenizer()
    test_checkpoint_structure(quick)
    test_mamba_step()
    test_ps_equivariance()
    test_two_stream()
    test_strand_both_symmetry()
    test_compare_embed()
    test_score_ref()
    if not quick:
        test_fixtures_reproducible()
    print("selftest: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
