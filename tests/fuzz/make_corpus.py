#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/<target>/ (run from anywhere).

Seeds are small on purpose (libFuzzer mutates them; KBs, not MBs): a few valid inputs taken from or modelled
on the repository's data/ and tests/data/, and a few edge cases near each reader's checks. Rerunning the
script rewrites the same files; libFuzzer adds its own finds to a separate working folder (scripts/fuzz.sh).
"""
import gzip
import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "corpus"


def put(target, name, data):
    folder = OUT / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data.encode() if isinstance(data, str) else data)


def bgzip(data: bytes) -> bytes:
    """One BGZF block plus the standard end-of-file block (what `bgzip` writes for a small file)."""
    def block(payload: bytes) -> bytes:
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        cdata = c.compress(payload) + c.flush()
        bsize = len(cdata) + 25
        header = b"\x1f\x8b\x08\x04\x00\x00\x00\x00\x00\xff\x06\x00BC\x02\x00" + struct.pack("<H", bsize)
        return header + cdata + struct.pack("<II", zlib.crc32(payload), len(payload))
    return block(data) + block(b"")


def safetensors(tensors, metadata=None, pad=b""):
    header, data = {}, b""
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, (dtype, shape, payload) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(payload)]}
        data += payload
    text = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(text)) + text + data + pad


def seeds_safetensors():
    f32 = struct.pack("<4f", 1.0, -2.0, 0.5, 3.0)
    put("safetensors", "valid_f32.safetensors", safetensors({"w": ("F32", [2, 2], f32)}, {"format": "pt"}))
    put("safetensors", "valid_mixed.safetensors", safetensors({
        "a.weight": ("F16", [3], struct.pack("<3H", 0x3C00, 0x8001, 0x7C00)),
        "b.bias": ("BF16", [2], struct.pack("<2H", 0x3F80, 0x7FC0)),
        "c": ("F64", [1], struct.pack("<d", 1e300)),
        "d.complement_map": ("I64", [4], struct.pack("<4q", 3, 2, 1, 0)),
        "scalar": ("F32", [], struct.pack("<f", 7.0)),
        "empty": ("F32", [0, 5], b""),
    }))
    # The header of a real (tiny) checkpoint, with its data cut to the first tensor: fails the layout check.
    real = (ROOT / "tests/data/models/ph_tiny/model.safetensors").read_bytes()
    n = struct.unpack("<Q", real[:8])[0]
    put("safetensors", "real_header_truncated.safetensors", real[:8 + n + 1024])
    put("safetensors", "short.safetensors", b"\x10\x00\x00")
    put("safetensors", "huge_header_length.safetensors", struct.pack("<Q", 2**63) + b"{}")
    put("safetensors", "empty_header.safetensors", struct.pack("<Q", 2) + b"{}")
    big = json.dumps({"w": {"dtype": "F32", "shape": [2**40, 2**40], "data_offsets": [0, 16]}}).encode()
    put("safetensors", "huge_shape.safetensors", struct.pack("<Q", len(big)) + big + f32)
    put("safetensors", "overlap.safetensors",
        safetensors({"a": ("F32", [2], f32[:8]), "b": ("F32", [2], f32[8:])}).replace(b"[8,16]", b"[4,12]"))


def seeds_model_config():
    for model in ("ph_tiny", "ps_bf16"):
        put("model_config", f"{model}.json", (ROOT / f"tests/data/models/{model}/config.json").read_text())
    minimal = {"d_model": 8, "n_layer": 1, "vocab_size": 12, "ssm_cfg": {}}
    put("model_config", "minimal.json", json.dumps(minimal))
    put("model_config", "large_vocab.json", json.dumps({**minimal, "vocab_size": 2147483640}))
    put("model_config", "complement_map.json",
        json.dumps({**minimal, "rcps": True, "complement_map": {"0": 1, "1": 0}}))
    put("model_config", "duplicate_key.json", '{"d_model": 8, "d_model": 9}')
    put("model_config", "null_ssm.json", json.dumps({**minimal, "ssm_cfg": None}))
    put("model_config", "not_object.json", "[1, 2, 3]")


def seeds_region():
    for text in ("chr1", "chr1:1000", "chr1:1,000-2,000", "chr1:-500", "chr1:10-", "{HLA-DRB1*12:17}:1-100",
                 "K54:1-5", "chr2:1.5k-2M", "chr1:10-5", "chr1:0", "{unclosed:1", ":1-2", "chr1:9223372036854775807",
                 "chr1:18446744073709551617", "chr1:1e2147483647"):  # the last two: fuzz_region's finding
        put("region", re.sub(r"[^A-Za-z0-9.-]", "_", text), text)


def seeds_bed():
    put("bed", "valid.bed", "chr1\t0\t100\nchr1\t200\t300\tname\t0\t+\n")
    put("bed", "headers.bed", "track name=x\nbrowser position chr1:1-10\n# comment\n\nK54\t0\t24782\r\n")
    put("bed", "valid.bed.gz", gzip.compress(b"chr2\t5\t10\n", mtime=0))
    put("bed", "valid_bgzf.bed.gz", bgzip(b"chr3\t1\t2\nchr3\t2\t9\n"))
    put("bed", "bad_columns.bed", "chr1 0 100\n")
    put("bed", "end_before_start.bed", "chr1\t100\t10\n")
    put("bed", "overflow.bed", "chr1\t0\t99999999999999999999\n")


def seeds_sequence():
    k54 = (ROOT / "data/kaptive-K54/K54.fa").read_text().splitlines()
    put("sequence", "k54_head.fa", "\n".join(k54[:12]) + "\n")
    put("sequence", "multi.fa", ">a desc\nACGTN\nacgt\n>b\n\n>c\nGG\n")
    put("sequence", "reads.fq", "@r1\nACGT\n+\nIIII\n@r2 x\nGGN\n+r2\n#!I\n")
    put("sequence", "multiline.fq", "@r1\nAC\nGT\n+\nII\nII\n")
    put("sequence", "reads.fq.gz", gzip.compress(b"@r1\nACGT\n+\nIIII\n", mtime=0))
    put("sequence", "multi_bgzf.fa.gz", bgzip(b">x\nACGTACGT\n>y\nTTTT\n"))
    put("sequence", "bgzf_no_eof.fa.gz", bgzip(b">x\nACGT\n")[:-28])
    put("sequence", "truncated_quality.fq", "@r1\nACGT\n+\nII")
    put("sequence", "junk.txt", "hello world\n")
    put("sequence", "crlf.fa", ">a\r\nACGT\r\n")


def seeds_vcf():
    k54 = (ROOT / "data/kaptive-K54/K54.vcf").read_text().splitlines()
    put("vcf", "k54_head.vcf", "\n".join(k54[:10]) + "\n")
    put("vcf", "k54_head.vcf.gz", bgzip(("\n".join(k54[:10]) + "\n").encode()))
    header = "##fileformat=VCFv4.2\n##contig=<ID=c1,length=100>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
    put("vcf", "indel_multi.vcf", header + "c1\t5\trs1\tAC\tA,ACT\t50\tPASS\tDP=3\nc1\t7\t.\tG\t.\t.\t.\t.\n")
    put("vcf", "end_info.vcf", header.replace("#CHROM", '##INFO=<ID=END,Number=1,Type=Integer,Description="e">\n#CHROM')
        + "c1\t10\t.\tN\t<DEL>\t.\t.\tEND=40\n")
    put("vcf", "samples.vcf", header.replace("\tINFO\n", "\tINFO\tFORMAT\ts1\ts2\n").replace(
        "#CHROM", '##FORMAT=<ID=GT,Number=1,Type=String,Description="g">\n#CHROM') + "c1\t3\t.\tA\tT\t.\t.\t.\tGT\t0/1\t1/1\n")
    put("vcf", "undeclared_contig.vcf", header + "c9\t1\t.\tA\tC\t.\t.\t.\n")
    put("vcf", "bad_pos.vcf", header + "c1\tx\t.\tA\tC\t.\t.\t.\n")
    put("vcf", "few_columns.vcf", header + "c1\t1\t.\tA\tC\n")
    put("vcf", "no_header.vcf", "c1\t1\t.\tA\tC\t.\t.\t.\n")
    # BCF is written by bcftools (when installed) from the sample-column seed, so that the binary path is seeded.
    if shutil.which("bcftools"):
        bcf = subprocess.run(["bcftools", "view", "-Ob", "--no-version", str(OUT / "vcf/samples.vcf")],
                             check=True, capture_output=True).stdout
        put("vcf", "samples.bcf", bcf)
        # Uncompressed too (-Ou, as in a bcftools pipe): libFuzzer cannot mutate through BGZF's CRC, so only
        # this seed lets it reach the BCF record parser.
        raw = subprocess.run(["bcftools", "view", "-Ou", "--no-version", str(OUT / "vcf/samples.vcf")],
                             check=True, capture_output=True).stdout
        put("vcf", "samples_uncompressed.bcf", raw)
        # fuzz_vcf's second finding: the first record claims 0xF0000000 shared bytes (bcf_read allocated them).
        record = 9 + struct.unpack("<I", raw[5:9])[0]
        put("vcf", "bcf_record_claim.bcf", raw[:record] + struct.pack("<I", 0xF0000000) + raw[record + 4:])
    # fuzz_vcf's finding: a BCF header claiming 4 GB (bcf_hdr_read allocated it before reading).
    put("vcf", "bcf_header_claim.bcf", b"BCF\2\2" + struct.pack("<I", 0xFFFFFFF0) + b"##fileformat=VCFv4.2\n")


if __name__ == "__main__":
    seeds_safetensors()
    seeds_model_config()
    seeds_region()
    seeds_bed()
    seeds_sequence()
    seeds_vcf()
    for folder in sorted(OUT.iterdir()):
        files = list(folder.iterdir())
        print(f"{folder.name}: {len(files)} seeds, {sum(f.stat().st_size for f in files)} bytes")
