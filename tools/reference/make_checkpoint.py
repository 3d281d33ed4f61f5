#!/usr/bin/python3
"""Write a random Caduceus checkpoint in the exact Hugging Face layout (model-spec.md 2.1, 4.3).

  config.json        the published fields (2.1), json.dumps(indent=2, sort_keys=True) like transformers
  model.safetensors  published key names; tied tensors (mamba_rev in_proj/out_proj, LM head) NOT stored;
                     PS also stores the two I64 complement_map buffers

The weights are RANDOM (untrained), for testing only.  They follow the Mamba / Caduceus initialisation
(spec 2.7) but every tensor is perturbed so that no two channels, states, layers or directions are alike:
  embedding N(0, 1/sqrt(d_model)) (larger than HF's 0.02 so logits are O(1)); norm weights 1 + N(0, 0.1);
  in_proj U(+-1/sqrt(d_model)); conv1d weight/bias U(+-1/sqrt(d_conv)); x_proj U(+-1/sqrt(d_inner));
  dt_proj.weight U(+-dt_rank^-0.5); dt_proj.bias = inv_softplus(dt), dt log-uniform in [1e-3, 0.1]
  (floor 1e-4), plus N(0, 0.1); A_log = log(1..d_state) + N(0, 0.1); D = 1 + N(0, 0.1);
  out_proj U(+-1/sqrt(d_inner)) / sqrt(n_layer).
Deterministic for a given seed and shape (numpy Generator / PCG64).  With --dtype f16/bf16 the float
tensors are rounded to that type on write (the reference reads back the rounded values).

Example:
  tools/reference/make_checkpoint.py --kind ps --d-model 256 --n-layer 16 --seed 1 --out /tmp/ps_full
"""
import argparse
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

DTYPES = {"f32": ("F32", "float32"), "f16": ("F16", "float16"), "bf16": ("BF16", "bfloat16")}


def default_complement_map(vocab_size):
    """Tokenizer complement map (A7<->T10, C8<->G9, others self) for ids 0..vocab_size-1, int keys."""
    swap = {7: 10, 10: 7, 8: 9, 9: 8}
    return {i: swap.get(i, i) for i in range(vocab_size)}


def make_config(kind, d_model, n_layer, d_state, expand, d_conv, dt_rank, vocab_size,
                pad_vocab_size_multiple=8, torch_dtype="float32", norm_epsilon=1e-5):
    return {
        "architectures": ["CaduceusForMaskedLM"],
        "auto_map": {
            "AutoConfig": "configuration_caduceus.CaduceusConfig",
            "AutoModel": "modeling_caduceus.Caduceus",
            "AutoModelForMaskedLM": "modeling_caduceus.CaduceusForMaskedLM",
            "AutoModelForSequenceClassification": "modeling_caduceus.CaduceusForSequenceClassification",
        },
        "bidirectional": True,
        "bidirectional_strategy": "add",
        "bidirectional_weight_tie": True,
        "complement_map": default_complement_map(vocab_size),
        "d_model": d_model,
        "fused_add_norm": True,
        "initializer_cfg": {"initializer_range": 0.02, "n_residuals_per_layer": 1, "rescale_prenorm_residual": True},
        "model_type": "caduceus",
        "n_layer": n_layer,
        "norm_epsilon": norm_epsilon,
        "pad_vocab_size_multiple": pad_vocab_size_multiple,
        "rcps": kind == "ps",
        "residual_in_fp32": False,
        "rms_norm": True,
        "ssm_cfg": {
            "bias": False, "conv_bias": True, "d_conv": d_conv, "d_state": d_state, "dt_init": "random",
            "dt_init_floor": 0.0001, "dt_max": 0.1, "dt_min": 0.001, "dt_rank": dt_rank, "dt_scale": 1.0,
            "expand": expand, "use_fast_path": True,
        },
        "torch_dtype": torch_dtype,
        "transformers_version": "4.38.1",
        "vocab_size": vocab_size,
    }


def config_text(cfg):
    # transformers PretrainedConfig.to_json_string: json.dumps(d, indent=2, sort_keys=True) + "\n".
    # complement_map has int keys, so sort_keys orders them numerically (0, 1, ..., 15) as on the hub.
    return json.dumps(cfg, indent=2, sort_keys=True) + "\n"


def make_weights(kind, d_model, n_layer, d_state, expand, d_conv, dt_rank, vocab_size,
                 pad_vocab_size_multiple=8, seed=0):
    """{name: float64 array or int64 array}, published names, tied tensors absent."""
    rng = np.random.Generator(np.random.PCG64(seed))
    V = vocab_size
    if V % pad_vocab_size_multiple:
        V += pad_vocab_size_multiple - V % pad_vocab_size_multiple
    D = d_model
    Di = int(expand * d_model)
    N = d_state
    K = d_conv
    R = math.ceil(d_model / 16) if dt_rank == "auto" else int(dt_rank)

    def U(shape, bound):
        return rng.uniform(-bound, bound, size=shape)

    def dt_bias():
        dt = np.exp(rng.uniform(size=Di) * (math.log(0.1) - math.log(0.001)) + math.log(0.001))
        dt = np.maximum(dt, 1e-4)
        return dt + np.log(-np.expm1(-dt)) + rng.normal(0, 0.1, size=Di)

    w = {}
    root = "caduceus.backbone."
    emb = rng.normal(0, 1 / math.sqrt(D), size=(V, D))
    mix = "mixer.submodule." if kind == "ps" else "mixer."
    for i in range(n_layer):
        pre = f"{root}layers.{i}."
        w[pre + "norm.weight"] = 1 + rng.normal(0, 0.1, size=D)
        for direction in ("fwd", "rev"):
            m = f"{pre}{mix}mamba_{direction}."
            if direction == "fwd":  # rev in_proj/out_proj are tied to fwd and not stored
                w[m + "in_proj.weight"] = U((2 * Di, D), 1 / math.sqrt(D))
            w[m + "conv1d.weight"] = U((Di, 1, K), 1 / math.sqrt(K))
            w[m + "conv1d.bias"] = U((Di,), 1 / math.sqrt(K))
            w[m + "x_proj.weight"] = U((R + 2 * N, Di), 1 / math.sqrt(Di))
            w[m + "dt_proj.weight"] = U((Di, R), R ** -0.5)
            w[m + "dt_proj.bias"] = dt_bias()
            w[m + "A_log"] = np.log(np.tile(np.arange(1, N + 1, dtype=np.float64), (Di, 1))) \
                + rng.normal(0, 0.1, size=(Di, N))
            w[m + "D"] = 1 + rng.normal(0, 0.1, size=Di)
            if direction == "fwd":
                w[m + "out_proj.weight"] = U((D, Di), 1 / math.sqrt(Di)) / math.sqrt(n_layer)
    w[root + "norm_f.weight"] = 1 + rng.normal(0, 0.1, size=D)
    comp = np.array(list(default_complement_map(vocab_size).values()) + list(range(vocab_size, V)), dtype=np.int64)
    if kind == "ps":
        w[root + "embeddings.word_embeddings.embedding.weight"] = emb
        w[root + "embeddings.word_embeddings.complement_map"] = comp
        w["lm_head.complement_map"] = comp.copy()
    else:
        w[root + "embeddings.word_embeddings.weight"] = emb
    return w


def write_checkpoint(out, kind, d_model, n_layer, d_state=16, expand=2, d_conv=4, dt_rank="auto",
                     vocab_size=16, pad_vocab_size_multiple=8, seed=0, dtype="f32"):
    """Create `out`/config.json and `out`/model.safetensors.  Returns (n_tensors, n_elements)."""
    if kind not in ("ph", "ps"):
        raise ValueError("kind must be ph or ps")
    if vocab_size < 12:
        raise ValueError("vocab_size must be >= 12 (the tokenizer emits ids up to 11)")
    st_dtype, torch_dtype = DTYPES[dtype]
    os.makedirs(out, exist_ok=True)
    cfg = make_config(kind, d_model, n_layer, d_state, expand, d_conv, dt_rank, vocab_size,
                      pad_vocab_size_multiple, torch_dtype)
    with open(os.path.join(out, "config.json"), "w") as f:
        f.write(config_text(cfg))
    w = make_weights(kind, d_model, n_layer, d_state, expand, d_conv, dt_rank, vocab_size,
                     pad_vocab_size_multiple, seed)
    tensors = {k: (("I64", v) if v.dtype == np.int64 else (st_dtype, v)) for k, v in w.items()}
    safetensors_io.save(os.path.join(out, "model.safetensors"), tensors)
    return len(w), int(sum(v.size for v in w.values()))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kind", choices=["ph", "ps"], required=True)
    ap.add_argument("--d-model", type=int, default=256)
    ap.add_argument("--n-layer", type=int, default=16)
    ap.add_argument("--d-state", type=int, default=16)
    ap.add_argument("--expand", type=int, default=2)
    ap.add_argument("--d-conv", type=int, default=4)
    ap.add_argument("--dt-rank", default="auto", help="int or 'auto' (= ceil(d_model/16))")
    ap.add_argument("--vocab-size", type=int, default=16)
    ap.add_argument("--pad-vocab-size-multiple", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", choices=sorted(DTYPES), default="f32")
    ap.add_argument("--out", required=True, help="output directory (created)")
    a = ap.parse_args(argv)
    dt_rank = a.dt_rank if a.dt_rank == "auto" else int(a.dt_rank)
    n, e = write_checkpoint(a.out, a.kind, a.d_model, a.n_layer, a.d_state, a.expand, a.d_conv, dt_rank,
                            a.vocab_size, a.pad_vocab_size_multiple, a.seed, a.dtype)
    print(f"{a.out}: {a.kind} {n} tensors, {e} elements, dtype {a.dtype}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
