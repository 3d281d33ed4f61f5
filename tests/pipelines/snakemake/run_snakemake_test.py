#!/usr/bin/python3
"""Runs pipelines/snakemake for real with the system's snakemake on the repository's data and checks that
what it writes equals direct, unsharded genomamba runs:

  1. dry runs: the resources each job declares (mem_mb from `genomamba inspect --mem-mb`, a config
     override, threads; with device cuda the GPU request in the form the Slurm executor reads);
  2. the workflow: embed (3 shards + merge), score (3 shards + merge into .vcf.gz + tabix index) and ISM
     (2 shards + merge), run from an unrelated directory with --directory in a temporary folder;
  3. the same three commands run directly, without shards: every HDF5 dataset, its attributes and the
     root attributes equal (bit for bit; only command_line and created may differ), the VCF records and
     header equal, the index answers a region query;
  4. the score wrapper's test/Snakefile, against a direct `genomamba score` with its parameters;
  5. the comparisons themselves report outputs that differ (a different model, a different window).

Usage: run_snakemake_test.py --genomamba BIN --source REPO_ROOT [--keep]
Exit 0 passed, 1 failed, 77 when a tool it needs is not installed (snakemake, tabix, bcftools, h5py).
"""

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def run(command, cwd=None, env=None):
    """Runs a command; its output is shown when it fails."""
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise Failure(
            f"command failed (exit {done.returncode}): {' '.join(map(str, command))}\n"
            f"--- stdout\n{done.stdout[-6000:]}\n--- stderr\n{done.stderr[-6000:]}"
        )
    return done.stdout


# ---------------------------------------------------------------------------------------------------
# Comparisons


def h5_contents(path):
    """Root attributes and {name: (kind, attributes, dataset or None)} of an HDF5 file."""
    import h5py

    objects = {}
    with h5py.File(path, "r") as f:
        root = dict(f.attrs)

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                objects[name] = ("dataset", dict(obj.attrs), obj[()])
            else:
                objects[name] = ("group", dict(obj.attrs), None)

        f.visititems(visit)
    return root, objects


def same_value(a, b):
    """Exact equality of attribute or dataset values; floats bit for bit, NaN equal to NaN."""
    import numpy as np

    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        if a.dtype.kind in "fc":
            return np.array_equal(a, b, equal_nan=True)
        return bool(np.all(a == b)) if a.size else True
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    return type(a) == type(b) and a == b


def describe_difference(a, b):
    import numpy as np

    try:
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype != b.dtype:
            return f"shape/dtype {a.shape} {a.dtype} vs {b.shape} {b.dtype}"
        if a.dtype.kind in "fc":
            return f"max |difference| {float(np.nanmax(np.abs(a.astype('f8') - b.astype('f8')))):.3g}"
        return f"{int(np.sum(a != b))} of {a.size} values differ"
    except Exception:  # values that numpy cannot compare as arrays
        return f"{a!r:.80} vs {b!r:.80}"


# Root attributes that name the run that wrote the file rather than its contents.
RUN_ATTRIBUTES = {"command_line", "created"}


def h5_differences(path_a, path_b):
    """What differs between two genomamba HDF5 outputs (an empty list when they are equal)."""
    root_a, objects_a = h5_contents(path_a)
    root_b, objects_b = h5_contents(path_b)
    problems = []
    if set(objects_a) != set(objects_b):
        problems.append(f"objects differ: only in the first {sorted(set(objects_a) - set(objects_b))}, "
                        f"only in the second {sorted(set(objects_b) - set(objects_a))}")
    for name in sorted(set(objects_a) & set(objects_b)):
        kind_a, attrs_a, data_a = objects_a[name]
        kind_b, attrs_b, data_b = objects_b[name]
        if kind_a != kind_b:
            problems.append(f"{name}: {kind_a} vs {kind_b}")
            continue
        if set(attrs_a) != set(attrs_b) or any(not same_value(attrs_a[k], attrs_b[k]) for k in attrs_a):
            problems.append(f"{name}: attributes differ")
        if kind_a == "dataset" and not same_value(data_a, data_b):
            problems.append(f"{name}: {describe_difference(data_a, data_b)}")
    keys_a, keys_b = set(root_a) - RUN_ATTRIBUTES, set(root_b) - RUN_ATTRIBUTES
    if keys_a != keys_b:
        problems.append(f"root attributes differ in names: {sorted(keys_a ^ keys_b)}")
    for key in sorted(keys_a & keys_b):
        if not same_value(root_a[key], root_b[key]):
            problems.append(f"root attribute {key}: {root_a[key]!r:.120} vs {root_b[key]!r:.120}")
    return problems


def check_h5_equal(what, path_a, path_b):
    problems = h5_differences(path_a, path_b)
    check(not problems, f"{what}: {path_a} and {path_b} differ:\n  " + "\n  ".join(problems))
    _, objects = h5_contents(path_a)
    datasets = [n for n, (kind, _, _) in objects.items() if kind == "dataset"]
    print(f"ok: {what}: {len(datasets)} datasets equal ({', '.join(sorted(datasets))})")


def vcf_header_and_records(path):
    """The header (minus the line naming the command) and the records, as bcftools reads them."""
    text = run(["bcftools", "view", "--no-version", path])
    header = [l for l in text.splitlines() if l.startswith("#") and not l.startswith("##genomamba_command=")]
    records = [l for l in text.splitlines() if not l.startswith("#")]
    return header, records


def vcf_differences(path_a, path_b):
    header_a, records_a = vcf_header_and_records(path_a)
    header_b, records_b = vcf_header_and_records(path_b)
    problems = []
    if header_a != header_b:
        problems.append("headers differ: " + repr(sorted(set(header_a) ^ set(header_b)))[:400])
    if len(records_a) != len(records_b):
        problems.append(f"{len(records_a)} vs {len(records_b)} records")
    differing = [(a, b) for a, b in zip(records_a, records_b) if a != b]
    if differing:
        problems.append(f"{len(differing)} records differ, first:\n    {differing[0][0]}\n    {differing[0][1]}")
    return problems


def check_vcf_equal(what, path_a, path_b, expected_records):
    problems = vcf_differences(path_a, path_b)
    check(not problems, f"{what}: {path_a} and {path_b} differ:\n  " + "\n  ".join(problems))
    _, records = vcf_header_and_records(path_a)
    check(len(records) == expected_records, f"{what}: {len(records)} records, expected {expected_records}")
    # Every score is there: query fails on a tag missing from the header; SNVs carry a value.
    scores = run(["bcftools", "query", "-f", "%INFO/GM_LLR\t%INFO/GM_WT_LLR\t%INFO/GM_EMB_COS\t%INFO/GM_EMB_L2\n",
                  path_a]).splitlines()
    llr = [line.split("\t")[0] for line in scores]
    check(sum(v not in (".", "nan") for v in llr) >= expected_records // 2,
          f"{what}: too few GM_LLR values in {path_a}: {llr}")
    print(f"ok: {what}: {len(records)} records and the header equal")


def check_index(what, vcf_gz, index, contig, begin, end):
    """The index exists and a region query returns exactly the records whose POS lies in the region."""
    check(os.path.getsize(index) > 0, f"{what}: {index} is empty")
    _, records = vcf_header_and_records(vcf_gz)
    expected = [r for r in records if r.split("\t")[0] == contig and begin <= int(r.split("\t")[1]) <= end]
    check(expected, f"{what}: no record in {contig}:{begin}-{end} to query")
    got = run(["tabix", vcf_gz, f"{contig}:{begin}-{end}"]).splitlines()
    check(got == expected, f"{what}: tabix {contig}:{begin}-{end} gave {len(got)} records, expected {len(expected)}")
    print(f"ok: {what}: index answers {contig}:{begin}-{end} ({len(got)} records)")


# ---------------------------------------------------------------------------------------------------
# The test


def dry_run_resources(snakemake_command, env):
    """{rule: [resources string, ...]} from a dry run's job list."""
    text = run(snakemake_command + ["--dry-run"], env=env)
    jobs, rule = {}, None
    for line in text.splitlines():
        m = re.match(r"^(?:local)?rule (\w+):", line)
        if m:
            rule = m.group(1)
        m = re.match(r"^\s+resources: (.*)$", line)
        if m and rule:
            jobs.setdefault(rule, []).append(dict(kv.split("=", 1) for kv in m.group(1).split(", ")))
    return jobs


def write_config(path, values):
    """The workflow config as YAML (JSON is YAML; snakemake reads it with its YAML loader)."""
    import json

    with open(path, "w") as f:
        json.dump(values, f, indent=2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--genomamba", required=True, help="the genomamba binary to test")
    parser.add_argument("--source", required=True, help="the repository root")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    for tool in ("snakemake", "tabix", "bcftools"):
        if shutil.which(tool) is None:
            print(f"skip: {tool} is not installed (scripts/setup.sh installs it)")
            return SKIP
    try:
        import h5py  # noqa: F401
        import numpy  # noqa: F401
    except ImportError as e:
        print(f"skip: {e} (python3-h5py, python3-numpy)")
        return SKIP

    gm = os.path.abspath(args.genomamba)
    src = os.path.abspath(args.source)
    data = os.path.join(src, "data")
    untrained = os.path.join(data, "models", "caduceus-ph-untrained-d64-l4")
    bacterial = os.path.join(data, "models", "caduceus-ph-bacterial-d192-l4")
    example = os.path.join(data, "example.fa")
    k54_fa = os.path.join(data, "kaptive-K54", "K54.fa")
    k54_vcf = os.path.join(data, "kaptive-K54", "K54.vcf")
    snakefile = os.path.join(src, "pipelines", "snakemake", "Snakefile")
    wrapper_test = os.path.join(src, "pipelines", "snakemake", "wrapper", "score", "test", "Snakefile")
    with open(k54_vcf) as f:
        k54_records = sum(1 for line in f if line.strip() and not line.startswith("#"))

    tmp = tempfile.mkdtemp(prefix="gm-snakemake-")
    work, direct, elsewhere = (os.path.join(tmp, d) for d in ("work", "direct", "elsewhere"))
    for d in (work, direct, elsewhere):
        os.makedirs(d)
    # Snakemake's caches (the wrapper's source) stay in the temporary folder too.
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache"))
    started = time.time()
    ok = False
    try:
        # The workflow's settings, and the same settings for the direct runs. One thread per job: the
        # results do not depend on threads, and a busy 2-core machine runs two 1-thread jobs best.
        embed_flags = ["--window", "1000", "--batch", "4", "--per-position", "--logits"]
        score_flags = ["--window", "256", "--batch", "4"]
        ism_region, ism_flags = "K54:1001-1040", ["--window", "256"]
        config = {
            "genomamba": gm,
            "device": "cpu",
            "outdir": "results",  # relative: inside --directory
            "embed": {"inputs": {"example": example}, "model": untrained, "shards": 3,
                      "window": 1000, "batch": 4, "extra": "--per-position --logits"},
            "score": {"vcfs": {"K54": k54_vcf}, "reference": k54_fa, "model": bacterial, "shards": 3,
                      "window": 256, "batch": 4, "extra": ""},
            "ism": {"regions": {"K54_1001_1040": ism_region}, "reference": k54_fa, "model": bacterial,
                    "shards": 2, "window": 256, "batch": 16, "extra": ""},
            "threads": {"embed": 1, "score": 1, "ism": 1},
            "resources": {"mem_mb": {"ism": 1234, "merge": 500}},
        }
        config_path = os.path.join(tmp, "config.yaml")
        write_config(config_path, config)
        command = ["snakemake", "-s", snakefile, "--configfile", config_path, "--directory", work,
                   "--cores", "2"]

        # 1. What each job asks for.
        jobs = dry_run_resources(command, env)
        check(len(jobs.get("embed_shard", [])) == 3 and len(jobs.get("score_shard", [])) == 3
              and len(jobs.get("ism_shard", [])) == 2, f"dry run: unexpected jobs {sorted(jobs)}")
        planned = int(run([gm, "inspect", "-m", untrained, "--plan-length", "1000", "--batch", "4",
                           "--device", "cpu", "--mem-mb"]).strip())
        check(all(int(j["mem_mb"]) == planned for j in jobs["embed_shard"]),
              f"embed_shard mem_mb {jobs['embed_shard'][0].get('mem_mb')}, inspect --mem-mb says {planned}")
        check(all(j["mem_mb"] == "1234" for j in jobs["ism_shard"]), "resources.mem_mb.ism did not override")
        check(all(j["mem_mb"] == "500" for j in jobs["score_merge"]), "resources.mem_mb.merge did not apply")
        check(all("slurm_extra" not in j and "gpu" not in j for j in jobs["embed_shard"]), "a CPU job asks for a GPU")
        print(f"ok: dry run: embed shards ask for mem_mb={planned} (inspect --mem-mb), the override holds")

        gpu_config = dict(config, device="cuda",
                          resources={"max_memory": "40G", "mem_mb": {"merge": 500}},
                          slurm={"partition": "cpu", "gpu_partition": "gpu", "gpus": 2, "account": "lab"})
        gpu_config_path = os.path.join(tmp, "config-cuda.yaml")
        write_config(gpu_config_path, gpu_config)
        gpu_jobs = dry_run_resources(["snakemake", "-s", snakefile, "--configfile", gpu_config_path,
                                      "--directory", os.path.join(tmp, "work-cuda"), "--cores", "2"], env)
        gpu_planned = int(run([gm, "inspect", "-m", bacterial, "--plan-length", "256", "--batch", "1",
                               "--device", "cuda", "--max-memory", "40G", "--mem-mb"]).strip())
        for j in gpu_jobs["score_shard"]:
            check(j.get("gpu") == "2" and j.get("slurm_extra") == "--gres=gpu:2"
                  and j.get("slurm_partition") == "gpu" and j.get("slurm_account") == "lab"
                  and int(j["mem_mb"]) == gpu_planned, f"device cuda: score_shard resources {j}")
        for j in gpu_jobs["score_merge"]:
            check("gpu" not in j and j.get("slurm_partition") == "cpu", f"device cuda: score_merge resources {j}")
        print(f"ok: dry run with device cuda: model jobs ask for gpu=2, --gres=gpu:2 on partition gpu, "
              f"mem_mb={gpu_planned}; merges stay on partition cpu")

        # 2. The workflow, started from a directory that is neither the repository nor its workdir.
        t = time.time()
        run(command, cwd=elsewhere, env=env)
        print(f"ok: workflow ran ({time.time() - t:.1f} s)")
        results = os.path.join(work, "results")
        check(not os.listdir(elsewhere),
              f"the workflow wrote into the directory it was started from: {os.listdir(elsewhere)}")
        check(not os.path.exists(os.path.join(results, "embed", "shards", "example.0-of-3.h5")),
              "shards are not removed after merging (keep_shards is false)")

        # 3. The same commands, unsharded.
        t = time.time()
        run([gm, "embed", "-m", untrained, "-i", example, "-o", os.path.join(direct, "example.h5"), "-@", "1",
             "-q"] + embed_flags)
        run([gm, "score", "-m", bacterial, "-v", k54_vcf, "-f", k54_fa, "-o", os.path.join(direct, "K54.vcf.gz"),
             "-@", "1", "-q"] + score_flags)
        run([gm, "ism", "-m", bacterial, "-f", k54_fa, "-r", ism_region, "-o", os.path.join(direct, "ism.h5"),
             "-@", "1", "-q"] + ism_flags)
        print(f"ok: direct runs ({time.time() - t:.1f} s)")

        check_h5_equal("embed (3 shards + merge vs one run)", os.path.join(results, "embed", "example.h5"),
                       os.path.join(direct, "example.h5"))
        check_h5_equal("ism (2 shards + merge vs one run)", os.path.join(results, "ism", "K54_1001_1040.h5"),
                       os.path.join(direct, "ism.h5"))
        scored = os.path.join(results, "score", "K54.vcf.gz")
        check_vcf_equal("score (3 shards + merge vs one run)", scored, os.path.join(direct, "K54.vcf.gz"),
                        k54_records)
        check_index("score", scored, scored + ".tbi", "K54", 6000, 7200)

        # 4. The wrapper's own test workflow, and genomamba score run directly with its parameters.
        t = time.time()
        wrapped = os.path.join(tmp, "wrapper")
        os.makedirs(wrapped)
        wrapper_env = dict(env, PATH=os.path.dirname(gm) + os.pathsep + env.get("PATH", ""))
        run(["snakemake", "-s", wrapper_test, "--directory", wrapped, "--cores", "1"], cwd=elsewhere,
            env=wrapper_env)
        run([gm, "score", "-m", untrained, "-v", k54_vcf, "-f", k54_fa, "-o", os.path.join(direct, "wrapper.vcf.gz"),
             "-@", "1", "-q", "--window", "512", "--scores", "llr,wt_llr,emb_cos,emb_l2"])
        print(f"ok: wrapper test workflow and its direct run ({time.time() - t:.1f} s)")
        wrapper_out = os.path.join(wrapped, "scored", "K54.vcf.gz")
        check_vcf_equal("wrapper (test/Snakefile vs direct score)", wrapper_out,
                        os.path.join(direct, "wrapper.vcf.gz"), k54_records)
        check_index("wrapper", wrapper_out, wrapper_out + ".tbi", "K54", 6000, 7200)

        # 5. The comparisons see a difference where there is one: the wrapper scored with another model
        # and window than the workflow did; an ISM with a different window.
        check(vcf_differences(wrapper_out, scored), "the VCF comparison found no difference between two models")
        run([gm, "ism", "-m", bacterial, "-f", k54_fa, "-r", ism_region, "-o", os.path.join(direct, "ism-w128.h5"),
             "-@", "1", "-q", "--window", "128"])
        check(h5_differences(os.path.join(direct, "ism.h5"), os.path.join(direct, "ism-w128.h5")),
              "the HDF5 comparison found no difference between two windows")
        print("ok: the comparisons report differing outputs (another model; another window)")
        ok = True
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
    finally:
        if ok and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"files kept in {tmp}", file=sys.stderr if not ok else sys.stdout)
    print(f"{'passed' if ok else 'failed'} in {time.time() - started:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
