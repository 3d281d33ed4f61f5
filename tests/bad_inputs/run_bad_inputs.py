#!/usr/bin/python3
"""Runs every case of cases.py against a genomamba binary and checks what design.md §7 promises for bad input.

    /usr/bin/python3 tests/bad_inputs/run_bad_inputs.py build/apps/genomamba [--only ID,ID] [--keep] [-j N]

For each case, in a fresh copy of the fixture (steps.py), after the case's steps damaged it:
  1. the exit code is the expected one (a crash by a signal or a time-out is a failure);
  2. the message matches: for exit 1 and 3, stderr has exactly one 'genomamba <cmd>: error: ...' line (the
     next line, if any, is a '[...]' log line, not a continuation), it matches `msg` (a regular expression,
     case-insensitive) and names `file` (the path as given on the command line); for exit 2 (usage), `msg`
     matches somewhere in stderr;
  3. no output looks complete: each output (the -o value, or the case's `out`) is absent, or unchanged if
     it existed before the run; an HDF5 output with complete=0 is allowed (design §7); no new file next to
     the case's inputs opens in h5py with complete=1;
  4. no input changed: every file of the case folder that existed before the run has the same sha256;
  5. nothing left behind but what --resume needs: a failed run creates nothing except OUT, OUT.partial,
     OUT.partial.d/ and OUT.lock (no temporary files or folders under other names).
The controls (CONTROLS in cases.py: the undamaged command lines) must exit 0 with a complete output.
One line per case (PASS, FAIL, KNOWN-DEFECT, FIXED?, SKIP), a summary, exit 1 if any case failed.
"""
import argparse
import concurrent.futures
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import h5py  # noqa: E402

import steps  # noqa: E402
from cases import CASES, CONTROLS  # noqa: E402

ERROR_LINE = re.compile(r"^genomamba( [a-z]+)?: error: ")
REQUIRED = {"id", "sub", "make", "args", "exit", "msg"}
OPTIONAL = {"file", "out", "known_defect", "timeout", "stdin", "check"}


class Context:
    def __init__(self, binary, folder, env):
        self.binary = binary
        self.dir = folder
        self.env = env
        self.mounts = []

    def genomamba(self, args):
        r = subprocess.run([self.binary] + shlex.split(args), cwd=self.dir, env=self.env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
        return r.returncode, r.stderr.decode(errors="replace")

    def mount_tmpfs(self, path, options):
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True, text=True)
        if r.returncode != 0:
            raise steps.Skip(f"mount -t tmpfs is not permitted here ({' '.join(r.stderr.split()) or r.returncode})")
        self.mounts.append(path)

    def unmount_all(self):
        for path in reversed(self.mounts):
            subprocess.run(["umount", "-l", str(path)], capture_output=True)
        self.mounts = []


def check_table(cases):
    seen = set()
    for c in cases:
        missing, unknown = REQUIRED - c.keys(), c.keys() - REQUIRED - OPTIONAL
        if missing or unknown:
            raise SystemExit(f"cases.py: case {c.get('id')}: missing {sorted(missing)}, unknown {sorted(unknown)}")
        if c["id"] in seen:
            raise SystemExit(f"cases.py: duplicate id {c['id']}")
        seen.add(c["id"])
        words = shlex.split(c["args"])
        if c["sub"] != "-" and (not words or words[0] != c["sub"]):
            raise SystemExit(f"cases.py: case {c['id']}: args must start with its subcommand '{c['sub']}'")


def snapshot(folder):
    """sha256 of every regular file under `folder` (relative path -> digest; a folder -> 'folder'). Left out:
    lock files (*.lock) and the temporaries of a batch folder (*.partial.d/*.tmp, *.partial): what a killed run
    left there may be taken over and removed."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            out[str((Path(root) / name).relative_to(folder))] = "folder"
        for name in files:
            temporary = root.endswith(".partial.d") and name.endswith((".tmp", ".partial"))
            if name.endswith(".lock") or temporary:
                continue
            p = Path(root) / name
            if p.is_file() and not p.is_symlink():
                out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def output_paths(case):
    if "out" in case:
        return [case["out"]] if isinstance(case["out"], str) else list(case["out"])
    words = shlex.split(case["args"])
    outs = [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-o", "--output")]
    return [o for o in outs if o != "-"]


def h5_complete(path):
    """The file's root attribute `complete` (None when it is not an HDF5 file or has none)."""
    try:
        with h5py.File(path, "r") as f:
            return int(f.attrs["complete"]) if "complete" in f.attrs else None
    except Exception:
        return None


def run_case(case, binary, fixture, work, env, keep):
    """Returns (status, reason, seconds, what the command said); status is PASS, FAIL or SKIP."""
    folder = work / case["id"]
    shutil.copytree(fixture, folder, symlinks=True)
    ctx = Context(binary, folder, env)
    started = time.time()
    try:
        try:
            for step in case["make"]:
                step(ctx)
        except steps.Skip as e:
            return "SKIP", str(e), time.time() - started, ""
        except Exception as e:  # a broken case is a failure of the test, not of genomamba
            return "FAIL", f"setup failed: {type(e).__name__}: {e}", time.time() - started, ""
        before = snapshot(folder)
        outs = output_paths(case)
        stdin = open(folder / case["stdin"], "rb") if "stdin" in case else subprocess.DEVNULL
        try:
            r = subprocess.run([binary] + shlex.split(case["args"]), cwd=folder, env=env, stdin=stdin,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=case.get("timeout", 60))
        except subprocess.TimeoutExpired:
            return "FAIL", f"timed out after {case.get('timeout', 60)} s", time.time() - started, ""
        finally:
            if stdin is not subprocess.DEVNULL:
                stdin.close()
        after = snapshot(folder)
        err = r.stderr.decode(errors="replace")
        problems = judge(case, r.returncode, err, folder, before, after, outs)
        shown = [line for line in err.splitlines() if ERROR_LINE.match(line)] or err.strip().splitlines()[-1:]
        said = f"exit {r.returncode}: " + " | ".join(shown)
        return ("FAIL" if problems else "PASS"), "; ".join(problems), time.time() - started, said
    finally:
        ctx.unmount_all()
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def judge(case, rc, err, folder, before, after, outs):
    problems = []
    expected = case["exit"]
    allowed = expected if isinstance(expected, tuple) else (expected,)
    last = err.strip().splitlines()[-1][:200] if err.strip() else "(empty stderr)"
    if rc < 0:
        problems.append(f"killed by signal {-rc} (stderr: {last})")
    elif rc not in allowed:
        problems.append(f"exit {rc}, expected {' or '.join(map(str, allowed))} (stderr: {last})")
    if expected == 0:  # a control: the output is there and complete, the inputs unchanged
        for out in outs:
            if not (folder / out).is_file():
                problems.append(f"no output {out}")
            elif out.endswith(".h5") and h5_complete(folder / out) != 1:
                problems.append(f"{out} is not marked complete=1")
        problems += [f"input {n} was changed" for n, d in before.items() if n not in outs and after.get(n) != d]
        if not problems and case.get("check"):
            problem = case["check"](folder)
            if problem:
                problems.append(problem)
        return problems
    pattern = re.compile(case["msg"], re.IGNORECASE)
    if 2 in allowed:
        if not pattern.search(err):
            problems.append(f"stderr lacks /{case['msg']}/ (stderr: {last})")
    else:
        all_lines = err.splitlines()
        at = [i for i, line in enumerate(all_lines) if ERROR_LINE.match(line)]
        lines = [all_lines[i] for i in at]
        names = [] if not case.get("file") else [case["file"]] if isinstance(case["file"], str) else list(case["file"])
        if len(lines) != 1:
            problems.append(f"{len(lines)} error lines, expected one (stderr: {last})")
        elif not pattern.search(lines[0]):
            problems.append(f"error line lacks /{case['msg']}/: {lines[0][:300]}")
        elif names and not any(n in lines[0] for n in names):
            problems.append(f"error line does not name {' or '.join(names)}: {lines[0][:300]}")
        if len(lines) == 1:
            after_error = all_lines[at[0] + 1] if at[0] + 1 < len(all_lines) else ""
            if after_error.strip() and not after_error.startswith("["):
                problems.append(f"the error continues on a second line: {after_error[:200]}")
    for out in outs:
        if out in before:
            if after.get(out) != before[out]:
                problems.append(f"the existing output {out} was changed")
        elif (folder / out).exists():
            state = h5_complete(folder / out)
            if state != 0:
                problems.append(f"a failed run left {out}" + (" marked complete=1" if state == 1 else ""))
    for name, digest in before.items():
        if name in outs or any(name.startswith(o + "/") for o in outs):
            continue
        if name not in after:
            problems.append(f"input {name} was removed")
        elif after[name] != digest:
            problems.append(f"input {name} was changed")
    new = set(after) - set(before)
    resumable = [o + suffix for o in outs for suffix in ("", ".partial", ".partial.d", ".lock")]
    for name in sorted(new):
        if "/" in name and name.rsplit("/", 1)[0] in new:
            continue  # inside a new folder: reported with the folder
        if "/" not in name and name not in outs and after[name] != "folder" and h5_complete(folder / name) == 1:
            problems.append(f"a failed run left {name}, an HDF5 file marked complete=1")
        elif not any(name == r or name.startswith(r + "/") for r in resumable):
            problems.append(f"a failed run left {name} behind")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("genomamba", help="path of the genomamba binary")
    parser.add_argument("--only", help="comma-separated case ids to run")
    parser.add_argument("--keep", action="store_true", help="keep the case folders (printed at the end)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each command's error line")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="cases run at once (default 2)")
    args = parser.parse_args()
    binary = str(Path(args.genomamba).resolve())
    source = HERE.parent.parent
    check_table(CONTROLS + CASES)
    cases = CONTROLS + CASES
    if args.only:
        wanted = set(args.only.split(","))
        cases = [c for c in cases if c["id"] in wanted]
        if wanted - {c["id"] for c in cases}:
            raise SystemExit(f"unknown case ids: {sorted(wanted - {c['id'] for c in cases})}")

    started = time.time()
    work = Path(tempfile.mkdtemp(prefix="gm-bad-inputs-"))
    env = dict(os.environ)
    # CRAM: never fetch a reference over the network; only what the command line names may be used.
    env.update({"REF_PATH": str(work / "no-ref-path"), "REF_CACHE": str(work / "no-ref-cache"), "LC_ALL": "C"})
    counts = {"PASS": 0, "FAIL": 0, "KNOWN-DEFECT": 0, "FIXED?": 0, "SKIP": 0}
    try:
        steps.build_fixture(work / "fixture", source)
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(run_case, c, binary, work / "fixture", work, env, args.keep) for c in cases]
            for case, future in zip(cases, futures):
                status, reason, seconds, said = future.result()
                if case.get("known_defect") and status in ("PASS", "FAIL"):
                    if status == "FAIL":
                        status, reason = "KNOWN-DEFECT", f"{reason} [known: {case['known_defect']}]"
                    else:
                        status, reason = "FIXED?", "passes now: remove its known_defect mark"
                counts[status] += 1
                print(f"{status} {case['id']}" + (f": {reason}" if reason else "") + f" ({seconds:.1f} s)", flush=True)
                if args.verbose and said:
                    print(f"    {said[:400]}")
    finally:
        if args.keep:
            print(f"case folders kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    n_controls = sum(1 for c in cases if c["exit"] == 0)
    print(f"bad_inputs: {len(cases) - n_controls} cases and {n_controls} controls in {time.time() - started:.0f} s: "
          f"{counts['PASS']} passed, "
          f"{counts['FAIL']} failed, {counts['KNOWN-DEFECT']} known defects, {counts['FIXED?']} known defects "
          f"that pass now, {counts['SKIP']} skipped")
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
