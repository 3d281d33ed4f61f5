# Settings read from the config, and the resources every job declares.

import functools
import shlex
import subprocess

import snakemake as _snakemake
from snakemake.exceptions import WorkflowError

if not config:
    raise WorkflowError(
        "genomamba workflow: no config; pass one, e.g. "
        "--configfile pipelines/snakemake/config.yaml (see pipelines/snakemake/README.md)"
    )

GENOMAMBA = str(config.get("genomamba", "genomamba"))
TABIX = str(config.get("tabix", "tabix"))
DEVICE = str(config.get("device", "cpu"))
OUTDIR = str(config.get("outdir", "results/genomamba")).rstrip("/")
SLURM = config.get("slurm") or {}
RESOURCES = config.get("resources") or {}
# Snakemake 7 (--slurm) and the Snakemake 8+ Slurm executor plugin ask for GPUs differently.
SNAKEMAKE_MAJOR = int(_snakemake.__version__.split(".")[0])

if DEVICE not in ("cpu", "cuda"):
    raise WorkflowError(f"genomamba workflow: device must be cpu or cuda, not {DEVICE!r}")

wildcard_constraints:
    name="[^/]+",
    shard="[0-9]+",
    n="[0-9]+",


def section(kind):
    """The config section of embed, score or ism; empty when absent."""
    return config.get(kind) or {}


def setting(kind, key, default=None, required=False):
    """A section's own value, else the top-level one, else the default."""
    value = section(kind).get(key)
    if value is None:
        value = config.get(key)
    if value is None and required:
        raise WorkflowError(f"genomamba workflow: the config needs {kind}.{key} (or a top-level {key})")
    return default if value is None else value


def shard_count(kind):
    n = int(setting(kind, "shards", 1))
    if n < 1:
        raise WorkflowError(f"genomamba workflow: {kind}.shards must be at least 1, not {n}")
    return n


def shard_paths(kind, name):
    """The shard files one merge job reads; N is part of each name so a changed N never mixes shards."""
    n = shard_count(kind)
    return [f"{OUTDIR}/{kind}/shards/{name}.{i}-of-{n}.h5" for i in range(n)]


def maybe_temp(path):
    """Shards are removed once merged unless keep_shards is set."""
    return path if config.get("keep_shards", False) else temp(path)


def model_flags(kind):
    """The flags every model job of a section passes: model, window, batch, device."""
    flags = [
        "-m", setting(kind, "model", required=True),
        "--window", str(setting(kind, "window", required=True)),
        "--batch", str(setting(kind, "batch", required=True)),
        "--device", DEVICE,
        "--progress", "never",
    ]
    return " ".join(shlex.quote(str(f)) for f in flags)


@functools.lru_cache(maxsize=None)
def planned_mem_mb(model, length, batch):
    """MiB one job of this shape needs, from genomamba's own memory plan (run once per shape, while
    Snakemake builds the DAG, so sbatch gets --mem before the job exists)."""
    command = [GENOMAMBA, "inspect", "-m", str(model), "--plan-length", str(length),
               "--batch", str(batch), "--device", DEVICE, "--mem-mb"]
    if RESOURCES.get("max_memory"):
        command += ["--max-memory", str(RESOURCES["max_memory"])]
    try:
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        return int(done.stdout.strip())
    except (OSError, subprocess.CalledProcessError, ValueError) as e:
        detail = getattr(e, "stderr", "") or str(e)
        raise WorkflowError(
            f"genomamba workflow: could not size memory with `{' '.join(command)}`: {detail.strip()}\n"
            "Set resources.mem_mb.<embed|score|ism> in the config to give the MiB yourself"
            " (for device cuda on a machine without that GPU, set resources.max_memory to its memory)."
        )


def mem_mb(kind, length, batch):
    """resources.mem_mb.<kind> from the config when set, else the plan; doubled on each retry."""
    fixed = (RESOURCES.get("mem_mb") or {}).get(kind)
    base = int(fixed) if fixed else planned_mem_mb(setting(kind, "model", required=True), length, batch)
    return lambda wildcards, attempt: base * attempt


def runtime(kind, default):
    return int((RESOURCES.get("runtime") or {}).get(kind, default))


def slurm_common(partition_key):
    """Partition and account, only where set (an empty value would reach sbatch as is)."""
    res = {}
    if SLURM.get(partition_key) or SLURM.get("partition"):
        res["slurm_partition"] = str(SLURM.get(partition_key) or SLURM.get("partition"))
    if SLURM.get("account"):
        res["slurm_account"] = str(SLURM["account"])
    return res


def model_resources(kind, length, batch):
    """What a model job asks the scheduler for. With device cuda it also asks for GPUs: as `gpu` (and
    `gpu_model`), which Snakemake 8+'s Slurm plugin turns into --gpus and a local run can cap with
    --resources gpu=1; Snakemake 7's --slurm knows no GPU resource, so there it is
    slurm_extra="--gres=gpu:[MODEL:]N" (which the 8+ plugin would refuse)."""
    res = {"mem_mb": mem_mb(kind, length, batch), "runtime": runtime(kind, 240)}
    if DEVICE == "cuda":
        res.update(slurm_common("gpu_partition"))
        gpus = int(SLURM.get("gpus", 1))
        model = str(SLURM.get("gpu_model") or "")
        res["gpu"] = gpus
        if SNAKEMAKE_MAJOR >= 8:
            if model:
                res["gpu_model"] = model
        else:
            res["slurm_extra"] = f"--gres=gpu:{model + ':' if model else ''}{gpus}"
    else:
        res.update(slurm_common("partition"))
    return res


def merge_resources():
    res = {"mem_mb": int((RESOURCES.get("mem_mb") or {}).get("merge") or 2000),
           "runtime": runtime("merge", 30)}
    res.update(slurm_common("partition"))
    return res


def job_threads(kind):
    return int((config.get("threads") or {}).get(kind, 4))


def all_targets():
    targets = []
    for name in section("embed").get("inputs") or {}:
        targets.append(f"{OUTDIR}/embed/{name}.h5")
    for name in section("score").get("vcfs") or {}:
        targets += [f"{OUTDIR}/score/{name}.vcf.gz", f"{OUTDIR}/score/{name}.vcf.gz.tbi"]
    for name in section("ism").get("regions") or {}:
        targets.append(f"{OUTDIR}/ism/{name}.h5")
    return targets
