"""Minimal safetensors reader/writer (numpy only), written from the format description.

Format (model-spec.md section 6):
  bytes 0..7   N, unsigned 64-bit little-endian: header length
  bytes 8..8+N UTF-8 JSON object {"__metadata__": {str: str}, name: {"dtype", "shape", "data_offsets"}}
               right-padded with spaces so that 8 + N is a multiple of 8
  rest         data buffer; data_offsets are [begin, end) relative to its start; row-major little-endian

Supported dtypes: F64, F32, F16, BF16, I64 (plus I32, U8).  numpy has no bfloat16, so BF16
tensors are returned as float32 (exactly representable) and written from float32/float64 input with
round-to-nearest-even.
"""
import json
import struct

import numpy as np

MAX_HEADER_SIZE = 100_000_000

_NP = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "U8": np.dtype("u1"),
}
_SIZE = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "U8": 1}


def f32_to_bf16_bits(x):
    """float array -> uint16 bfloat16 bit patterns, round to nearest even (NaN kept quiet)."""
    a = np.ascontiguousarray(np.asarray(x, dtype=np.float32))
    u = a.view(np.uint32).astype(np.uint64)
    rounding = ((u >> 16) & 1) + 0x7FFF
    r = ((u + rounding) >> 16).astype(np.uint16)
    nan = np.isnan(a)
    if nan.any():
        r[nan] = ((u[nan] >> 16) | 0x40).astype(np.uint16)
    return r


def bf16_bits_to_f32(bits):
    b = np.asarray(bits, dtype=np.uint16)
    return (b.astype(np.uint32) << 16).view(np.float32)


def round_to(x, dtype):
    """Round a float array to what storing it as `dtype` gives back (as float64)."""
    x = np.asarray(x, dtype=np.float64)
    if dtype == "F64":
        return x
    if dtype == "F32":
        return x.astype(np.float32).astype(np.float64)
    if dtype == "F16":
        return x.astype(np.float16).astype(np.float64)
    if dtype == "BF16":
        return bf16_bits_to_f32(f32_to_bf16_bits(x.astype(np.float32))).astype(np.float64)
    raise ValueError(f"round_to: unsupported dtype {dtype}")


_ORDER = ["U64", "I64", "F64", "U32", "I32", "F32", "BF16", "F16", "U16", "I16", "I8", "U8", "BOOL"]
_INFER = {np.dtype("float64"): "F64", np.dtype("float32"): "F32", np.dtype("float16"): "F16",
          np.dtype("int64"): "I64", np.dtype("int32"): "I32", np.dtype("uint8"): "U8"}


def _dtype_of(v):
    return v[0] if isinstance(v, tuple) else _INFER[np.asarray(v).dtype]


def _encode(arr, dtype):
    if dtype == "BF16":
        return f32_to_bf16_bits(np.asarray(arr, dtype=np.float32)).astype("<u2").tobytes()
    if dtype not in _NP:
        raise ValueError(f"unsupported dtype {dtype}")
    return np.ascontiguousarray(np.asarray(arr).astype(_NP[dtype])).tobytes()


def save(path, tensors, metadata=None):
    """Write `tensors` {name: (dtype_str, array)} or {name: array} (dtype inferred) to `path`.

    Layout order follows the reference Rust writer (safetensors tensor.rs `prepare`): by dtype descending
    (I64, F64, F32, BF16, F16, ...), then by name; header keys follow the same order, "__metadata__" first.
    """
    items = []
    for name in sorted(tensors, key=lambda n: (_ORDER.index(_dtype_of(tensors[n])), n)):
        v = tensors[name]
        dtype = _dtype_of(v)
        arr = np.asarray(v[1] if isinstance(v, tuple) else v)
        items.append((name, dtype, list(arr.shape), _encode(arr, dtype)))
    header = {}
    header["__metadata__"] = {"format": "pt"} if metadata is None else {str(k): str(v) for k, v in metadata.items()}
    offset = 0
    for name, dtype, shape, data in items:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for _, _, _, data in items:
            f.write(data)


def load(path, with_dtypes=False):
    """Read a safetensors file -> {name: np.ndarray} (BF16 -> float32); optionally also {name: dtype}, metadata."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError(f"{path}: file too short")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > MAX_HEADER_SIZE or 8 + n > len(blob):
        raise ValueError(f"{path}: bad header length {n}")
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    data = memoryview(blob)[8 + n:]
    out, dtypes = {}, {}
    spans = []
    for name, info in header.items():
        dtype, shape, (b, e) = info["dtype"], info["shape"], info["data_offsets"]
        count = int(np.prod(shape)) if shape else 1
        if e - b != count * _SIZE[dtype] or e > len(data):
            raise ValueError(f"{path}: tensor {name}: inconsistent offsets")
        spans.append((b, e))
        raw = bytes(data[b:e])
        if dtype == "BF16":
            arr = bf16_bits_to_f32(np.frombuffer(raw, dtype="<u2")).reshape(shape)
        else:
            arr = np.frombuffer(raw, dtype=_NP[dtype]).reshape(shape).copy()
        out[name] = arr
        dtypes[name] = dtype
    spans.sort()
    pos = 0
    for b, e in spans:
        if b != pos:
            raise ValueError(f"{path}: hole or overlap in data buffer at {pos}")
        pos = e
    if pos != len(data):
        raise ValueError(f"{path}: data buffer size {len(data)} != covered {pos}")
    if with_dtypes:
        return out, dtypes, meta
    return out
