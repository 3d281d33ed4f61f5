"""Building blocks for the bad-input cases (cases.py): the shared fixture folder and the steps that damage it.

Every step is a small function that returns a callable `step(ctx)`; the harness (run_bad_inputs.py) calls
the steps of a case in order inside the case's own folder, a fresh copy of the fixture. `ctx` has:
  ctx.dir              the case folder (pathlib.Path); every relative path below is inside it
  ctx.binary, ctx.env  the genomamba binary and the environment the harness runs it with
  ctx.genomamba(args)  runs the binary there (args: one string, split like a shell would); returns
                       (exit code, stderr text); used to make the valid files a case starts from
  ctx.mount_tmpfs(path, options)  mounts a small tmpfs (unmounted after the case); raises Skip if the
                       machine does not allow it
"""
import gzip
import json
import os
import shlex
import shutil
import struct
import subprocess
import time
from pathlib import Path

import h5py

# ---------------------------------------------------------------------------------------------------------
# The fixture: one folder with valid inputs for every subcommand. Each case gets its own copy.
#
#   model/            tests/data/models/ph_tiny (PH, d_model 16, 2 layers, F32)
#   ref.fa, .fai      two contigs: chr1 (400 bp), chr2 (200 bp)
#   in.fa, .fai       two records: r1 (120 bp), r2 (90 bp), for embed
#   in.fq             three reads of 40 bp
#   reads.bam, .bai   four reads aligned to ref.fa (sorted, indexed); reads.cram, .crai (needs -f ref.fa)
#   calls.vcf         four SNVs on chr1/chr2 whose REF matches ref.fa; calls.vcf.gz (+.tbi), calls.bcf (+.csi)
#   regions.bed       chr1 0 100 and chr2 10 60
# ---------------------------------------------------------------------------------------------------------


class Skip(Exception):
    """Raised by a step when this machine cannot make the case (e.g. mount is not permitted)."""


def _dna(n, seed):
    """A deterministic pseudo-random ACGT string of length n (a small LCG; no dependence on numpy)."""
    out, x = [], seed
    for _ in range(n):
        x = (x * 1103515245 + 12345) % (1 << 31)
        out.append("ACGT"[(x >> 16) & 3])
    return "".join(out)


def _fasta(records, width=60):
    lines = []
    for name, seq in records:
        lines.append(">" + name)
        lines += [seq[i:i + width] for i in range(0, len(seq), width)]
    return "\n".join(lines) + "\n"


CHR1 = _dna(400, 1)
CHR2 = _dna(200, 2)
R1 = _dna(120, 3)
R2 = _dna(90, 4)


def _sh(cmd, cwd):
    r = subprocess.run(cmd, cwd=cwd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"'{cmd}' failed (exit {r.returncode}): {r.stderr.strip()[-300:]}")


def build_fixture(folder: Path, source_dir: Path):
    """Writes the valid inputs listed above into `folder` (needs samtools, bcftools, bgzip and tabix)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source_dir / "tests/data/models/ph_tiny", folder / "model")
    (folder / "ref.fa").write_text(_fasta([("chr1", CHR1), ("chr2", CHR2)]))
    (folder / "in.fa").write_text(_fasta([("r1", R1), ("r2", R2)]))
    _sh("samtools faidx ref.fa && samtools faidx in.fa", folder)
    reads = [_dna(40, 10 + i) for i in range(3)]
    (folder / "in.fq").write_text("".join(f"@q{i}\n{s}\n+\n{'I' * len(s)}\n" for i, s in enumerate(reads)))
    # Reads copied from the reference, so the CRAM encodes them against it.
    sam = ["@HD\tVN:1.6\tSO:coordinate", "@SQ\tSN:chr1\tLN:400", "@SQ\tSN:chr2\tLN:200"]
    for i, (contig, seq, pos) in enumerate([("chr1", CHR1, 11), ("chr1", CHR1, 151), ("chr1", CHR1, 301),
                                            ("chr2", CHR2, 21)]):
        s = seq[pos - 1:pos - 1 + 50]
        sam.append(f"read{i}\t0\t{contig}\t{pos}\t60\t50M\t*\t0\t0\t{s}\t{'I' * 50}")
    (folder / "reads.sam").write_text("\n".join(sam) + "\n")
    _sh("samtools view -b --no-PG -o reads.bam reads.sam && samtools index reads.bam && "
        # The CRAM's @SQ UR: names a copy of ref.fa that is deleted: only -f ref.fa can decode it.
        "mkdir cramref && cp ref.fa cramref/ && samtools view -C --no-PG -T cramref/ref.fa -o reads.cram reads.sam && "
        "samtools index reads.cram && rm -r reads.sam cramref",
        folder)
    header = ["##fileformat=VCFv4.2", "##contig=<ID=chr1,length=400>", "##contig=<ID=chr2,length=200>",
              "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"]
    rows = []
    for contig, seq, pos in [("chr1", CHR1, 50), ("chr1", CHR1, 120), ("chr1", CHR1, 250), ("chr2", CHR2, 30)]:
        ref = seq[pos - 1]
        alt = "A" if ref != "A" else "C"
        rows.append(f"{contig}\t{pos}\t.\t{ref}\t{alt}\t.\t.\t.")
    (folder / "calls.vcf").write_text("\n".join(header + rows) + "\n")
    _sh("bgzip -c calls.vcf > calls.vcf.gz && tabix -p vcf calls.vcf.gz && "
        "bcftools view --no-version -Ob -o calls.bcf calls.vcf && bcftools index calls.bcf", folder)
    (folder / "regions.bed").write_text("chr1\t0\t100\nchr2\t10\t60\n")


# ---------------------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------------------

def write(path, content):
    """Writes `content` (str or bytes) to `path`, replacing it."""
    def step(ctx):
        p = ctx.dir / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content.encode() if isinstance(content, str) else content)
    return step


def append(path, content):
    """Appends `content` (str or bytes) to `path`."""
    def step(ctx):
        with open(ctx.dir / path, "ab") as f:
            f.write(content.encode() if isinstance(content, str) else content)
    return step


def remove(path):
    """Deletes a file or folder."""
    def step(ctx):
        p = ctx.dir / path
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    return step


def mkdir(path):
    def step(ctx):
        (ctx.dir / path).mkdir(parents=True, exist_ok=True)
    return step


def copy(src, dst):
    def step(ctx):
        shutil.copyfile(ctx.dir / src, ctx.dir / dst)
    return step


def truncate(path, keep):
    """Cuts `path` to `keep` bytes; a negative `keep` removes that many bytes from its end; a float keeps
    that fraction of the file."""
    def step(ctx):
        p = ctx.dir / path
        data = p.read_bytes()
        n = int(len(data) * keep) if isinstance(keep, float) else (keep if keep >= 0 else len(data) + keep)
        p.write_bytes(data[:n])
    return step


def replace(path, old, new, count=1):
    """Replaces the first `count` occurrences of `old` by `new` in a text file; fails if `old` is absent."""
    def step(ctx):
        p = ctx.dir / path
        text = p.read_text()
        if old not in text:
            raise AssertionError(f"{path}: '{old}' not found (the fixture changed?)")
        p.write_text(text.replace(old, new, count))
    return step


def gzip_file(src, dst):
    """Writes a plain gzip copy of `src` (not bgzip)."""
    def step(ctx):
        (ctx.dir / dst).write_bytes(gzip.compress((ctx.dir / src).read_bytes(), mtime=0))
    return step


def shell(cmd):
    """Runs a shell command in the case folder (samtools, bgzip ...); it must succeed."""
    def step(ctx):
        _sh(cmd, ctx.dir)
    return step


def config(path="model/config.json", set=None, delete=(), subset=None):
    """Edits a config.json: `set` maps keys to new values (a key 'a.b' reaches into the object 'a'),
    `delete` lists keys to remove."""
    def step(ctx):
        p = ctx.dir / path
        cfg = json.loads(p.read_text())

        def parent_of(key):
            obj, parts = cfg, key.split(".")
            for part in parts[:-1]:
                obj = obj[part]
            return obj, parts[-1]

        for key, value in (set or {}).items():
            obj, last = parent_of(key)
            obj[last] = value
        for key in delete:
            obj, last = parent_of(key)
            del obj[last]
        p.write_text(json.dumps(cfg, indent=2))  # key order kept: complement_map's keys must stay 0, 1, 2 ...
    return step


def _read_st(p):
    data = p.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    return json.loads(data[8:8 + n]), data[8 + n:]


def _write_st(p, header, body):
    text = json.dumps(header).encode()
    p.write_bytes(struct.pack("<Q", len(text)) + text + body)


def st_edit(edit, path="model/model.safetensors"):
    """Rewrites a safetensors file after `edit(header, body)` changed its header dict (tensor name ->
    {dtype, shape, data_offsets}); `edit` may return a new body (bytes)."""
    def step(ctx):
        p = ctx.dir / path
        header, body = _read_st(p)
        new_body = edit(header, body)
        _write_st(p, header, body if new_body is None else new_body)
    return step


def st_raw(edit, path="model/model.safetensors"):
    """Rewrites a safetensors file as edit(length, header_bytes, body) -> bytes (for broken framing)."""
    def step(ctx):
        p = ctx.dir / path
        data = p.read_bytes()
        (n,) = struct.unpack("<Q", data[:8])
        p.write_bytes(edit(n, data[8:8 + n], data[8 + n:]))
    return step


def genomamba(args, expect=0):
    """Runs genomamba in the case folder to make a valid file (a shard, a finished job); it must exit with
    `expect`."""
    def step(ctx):
        rc, err = ctx.genomamba(args)
        if rc != expect:
            raise AssertionError(f"setup 'genomamba {args}' exited {rc}, expected {expect}: {err.strip()[-500:]}")
    return step


def h5_attr(path, name, value):
    """Sets a root attribute of an HDF5 file (e.g. complete=0 to make a finished file look unfinished)."""
    def step(ctx):
        with h5py.File(ctx.dir / path, "r+") as f:
            f.attrs[name] = value
    return step


def many_records(path, n=3000, length=64):
    """Writes a FASTA of `n` records of `length` bases (a job long enough to be interrupted)."""
    def step(ctx):
        (ctx.dir / path).write_text("".join(f">m{i}\n{_dna(length, 1000 + i)}\n" for i in range(n)))
    return step


def interrupted(args, output):
    """Leaves an interrupted job: runs `genomamba args` (use --batch 1 and a long input) and kills it with
    SIGKILL as soon as its first finished batch appears in OUT.partial.d/."""
    def step(ctx):
        folder = ctx.dir / (output + ".partial.d")
        proc = subprocess.Popen([ctx.binary] + shlex.split(args), cwd=ctx.dir, env=ctx.env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 30
            while time.time() < deadline:
                if folder.is_dir() and any(q.name.endswith(".h5") for q in folder.iterdir()):
                    break
                if proc.poll() is not None:
                    raise AssertionError(f"setup: 'genomamba {args}' ended (exit {proc.returncode}) before "
                                         "it could be interrupted")
                time.sleep(0.005)
            else:
                raise AssertionError("setup: no batch was committed within 30 s")
        finally:
            proc.kill()
            proc.wait()
    return step


def read_only_folder(path):
    """A folder nobody may write to: a read-only tmpfs as root (root ignores permissions), else mode 0555."""
    def step(ctx):
        (ctx.dir / path).mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            ctx.mount_tmpfs(ctx.dir / path, "ro,size=64k")
        else:
            os.chmod(ctx.dir / path, 0o555)
    return step


def mount_tmpfs(path, options):
    """Mounts a tmpfs at `path` (created) with mount options such as 'size=64k' or 'ro,size=64k'."""
    def step(ctx):
        (ctx.dir / path).mkdir(parents=True, exist_ok=True)
        ctx.mount_tmpfs(ctx.dir / path, options)
    return step
