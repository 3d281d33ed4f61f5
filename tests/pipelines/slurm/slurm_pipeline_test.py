#!/usr/bin/python3
"""The sbatch scripts of pipelines/slurm/ on a one-node Slurm cluster that this test starts for itself.

    slurm_pipeline_test.py GENOMAMBA_BINARY

Starts munged (its own key, socket and state under a temporary directory), slurmctld and slurmd (a minimal
slurm.conf there, ports picked free, SLURM_CONF pointing at it) and waits for the node to be idle. Then:

1. submit-sharded.sh: an array job of 3 `genomamba embed --shard i/3 --resume` tasks and a merge job that
   waits for it with --dependency=afterok. Task 1 is cancelled with `scancel` once it has committed its first
   batch (what a user, a time limit or a preemption does to a running task): it must end CANCELLED with
   its committed batches kept, the other tasks COMPLETED, and the merge job must never run (Slurm cancels
   it: DependencyNeverSatisfied). Resubmitting task 1 (GM_ARRAY=1) must continue from its committed
   batches, and the new merge job's output must equal a local unsharded `genomamba embed`, every dataset
   bit for bit.
2. If the binary has MPI ranks (`genomamba --version` lists mpi): submit-seqpar.sh runs embed with 2 ranks
   through `srun --mpi=pmix`; its output (per-base embeddings included) must equal a one-process run within
   1e-4.

Everything is stopped and the temporary directory removed at the end, also on failure, on SIGTERM/SIGINT and
on the test's own deadline. Exit 77 (skipped) only when not root or when Slurm or munge is not installed.
GM_SLURM_TEST_KEEP=1 keeps the temporary directory for a look afterwards.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

SKIP = 77
DEADLINE_S = 240  # the CTest TIMEOUT is larger, so that the cleanup below always gets to run
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
PIPELINE = os.path.join(ROOT, "pipelines", "slurm")
MODEL = os.path.join(ROOT, "data", "models", "caduceus-ph-untrained-d64-l4")
EXAMPLE = os.path.join(ROOT, "data", "example.fa")
FINAL_STATES = {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED",
                "BOOT_FAIL", "DEADLINE"}
TOOLS = ["munged", "munge", "unmunge", "slurmctld", "slurmd", "sbatch", "srun", "squeue", "scontrol",
         "scancel", "sinfo"]


class TestFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise TestFailure(message)


def log(message):
    print(f"[slurm-test {time.strftime('%H:%M:%S')}] {message}", flush=True)


def wait_for(predicate, timeout, what, interval=0.2):
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > end:
            raise TestFailure(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """munged + slurmctld + slurmd on localhost, everything under one temporary directory."""

    def __init__(self):
        # Under /tmp, not $TMPDIR: munged wants every directory above its socket searchable by all, and a
        # socket path short enough for a Unix socket. mkdtemp makes it 0700; munged needs 0755.
        self.tmp = tempfile.mkdtemp(prefix="gm-slurm-", dir="/tmp")
        os.chmod(self.tmp, 0o755)
        self.conf = os.path.join(self.tmp, "slurm.conf")
        self.procs = []  # (name, Popen), in start order
        # The clients and the jobs see this cluster only: no Slurm or MPI launcher variables from outside.
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("SLURM_", "SBATCH_", "SRUN_", "SALLOC_", "PMI", "OMPI_"))}
        self.env["SLURM_CONF"] = self.conf

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def run(self, args, check_rc=True, **kw):
        r = subprocess.run(args, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
        if check_rc and r.returncode != 0:
            raise TestFailure(f"{' '.join(args)} exited {r.returncode}:\n{r.stdout}{r.stderr}")
        return r

    def start(self):
        munge_dir = self.path("munge")
        os.mkdir(munge_dir, 0o755)
        key = os.path.join(munge_dir, "munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(key, 0o400)
        self.munge_socket = os.path.join(munge_dir, "munge.socket")
        self.spawn("munged", ["munged", "--foreground", "--key-file", key, "--socket", self.munge_socket,
                              "--pid-file", os.path.join(munge_dir, "munged.pid"),
                              "--seed-file", os.path.join(munge_dir, "munged.seed"),
                              "--log-file", os.path.join(munge_dir, "munged.log")])
        wait_for(lambda: os.path.exists(self.munge_socket), 10, "munged's socket")
        cred = self.run(["munge", "-n", "-S", self.munge_socket]).stdout
        self.run(["unmunge", "-S", self.munge_socket], input=cred)

        # This machine as slurmd sees it: "NodeName=vm CPUs=2 Boards=1 ... RealMemory=24105".
        hw = dict(kv.split("=", 1) for kv in self.run(["slurmd", "-C"]).stdout.splitlines()[0].split())
        self.node = hw["NodeName"]
        self.cpus = int(hw["CPUs"])
        for d in ("state", "spool", "log"):
            os.mkdir(self.path(d))
        open(self.path("plugstack.conf"), "w").close()  # no SPANK plugins from /etc/slurm
        with open(self.conf, "w") as f:
            f.write(f"""# One-node test cluster (tests/pipelines/slurm/slurm_pipeline_test.py)
ClusterName=gmtest
SlurmctldHost={self.node}(127.0.0.1)
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={self.munge_socket}
StateSaveLocation={self.path('state')}
SlurmdSpoolDir={self.path('spool')}
SlurmctldPidFile={self.path('slurmctld.pid')}
SlurmdPidFile={self.path('slurmd.pid')}
SlurmctldLogFile={self.path('log', 'slurmctld.log')}
SlurmdLogFile={self.path('log', 'slurmd.log')}
PlugStackConfig={self.path('plugstack.conf')}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/builtin
MpiDefault=none
ReturnToService=2
KillWait=5
MailProg=/bin/true
NodeName={self.node} NodeAddr=127.0.0.1 CPUs={hw['CPUs']} Boards={hw['Boards']} SocketsPerBoard={hw['SocketsPerBoard']} CoresPerSocket={hw['CoresPerSocket']} ThreadsPerCore={hw['ThreadsPerCore']} RealMemory={hw['RealMemory']} State=UNKNOWN
PartitionName=test Nodes={self.node} Default=YES MaxTime=INFINITE State=UP
""")
        # -D: in the foreground, so that this process holds them and can stop them by their own ids.
        self.spawn("slurmctld", ["slurmctld", "-D", "-i"])
        self.spawn("slurmd", ["slurmd", "-D"])

        def node_idle():
            for name, p in self.procs:
                if p.poll() is not None:
                    raise TestFailure(f"{name} exited with {p.returncode} during start-up")
            r = self.run(["sinfo", "-h", "-N", "-o", "%T"], check_rc=False)
            return r.returncode == 0 and r.stdout.strip() == "idle"
        wait_for(node_idle, 60, f"node {self.node} to be idle", interval=0.5)

    def spawn(self, name, args):
        out = open(self.path(f"{name}.out"), "w")
        self.procs.append((name, subprocess.Popen(args, env=self.env, cwd=self.tmp, stdout=out,
                                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)))

    def job_states(self, job):
        """{array task id or None: (JobState, ExitCode, Reason)} from scontrol (no accounting database here)."""
        r = self.run(["scontrol", "show", "job", "-o", str(job)])
        states = {}
        for line in r.stdout.splitlines():
            fields = dict(m.groups() for m in re.finditer(r"(\w+)=(\S*)", line))
            states[fields.get("ArrayTaskId")] = (fields["JobState"], fields["ExitCode"], fields.get("Reason"))
        return states

    def wait_job(self, job, timeout):
        def done():
            states = self.job_states(job)
            return states if all(s[0] in FINAL_STATES for s in states.values()) else None
        return wait_for(done, timeout, f"job {job} to end", interval=0.5)

    def stop(self):
        """Cancels every job, stops the daemons and whatever their jobs left, and removes the directory."""
        if any(p.poll() is None for n, p in self.procs if n == "slurmctld"):
            self.run(["scancel", "--user", "root"], check_rc=False, timeout=20)
            try:
                wait_for(lambda: self.run(["squeue", "-h"], check_rc=False, timeout=10).stdout.strip() == "",
                         20, "the queue to empty", interval=0.5)
            except Exception as e:  # noqa: BLE001 - the cleanup goes on regardless
                log(f"cleanup: {e}")
        for name, p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    log(f"cleanup: {name} ignored SIGTERM; killing it")
                    p.kill()
                    p.wait(5)
        # The daemons started in the temporary directory, and so do their slurmstepd and the jobs (which run
        # in work/ below it): anything still running there was started by this test. End it by its pid.
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                cwd = os.readlink(f"/proc/{pid}/cwd")
                if (cwd == self.tmp or cwd.startswith(self.tmp + os.sep)) and int(pid) != os.getpid():
                    log(f"cleanup: killing leftover process {pid}")
                    os.kill(int(pid), signal.SIGKILL)
            except OSError:
                pass
        if os.environ.get("GM_SLURM_TEST_KEEP") == "1":
            log(f"cleanup: kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def dump_logs(self):
        for dirpath, _, files in os.walk(self.tmp):
            for name in sorted(files):
                if name.endswith((".log", ".out")):
                    path = os.path.join(dirpath, name)
                    with open(path, errors="replace") as f:
                        lines = f.readlines()[-25:]
                    print(f"----- {os.path.relpath(path, self.tmp)} (last {len(lines)} lines)")
                    print("".join(lines), end="")


def read_text(path):
    with open(path, errors="replace") as f:
        return f.read()


def datasets(path):
    found = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: found.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return found


def compare(got_path, want_path, tolerance):
    """Every dataset of want_path is in got_path with the same shape and type, and no other; equal values,
    floating-point ones within tolerance * max(1, max |want|) (0: bit for bit)."""
    got, want = datasets(got_path), datasets(want_path)
    check(sorted(got) == sorted(want), f"{got_path} has datasets {sorted(got)}, {want_path} {sorted(want)}")
    for name in sorted(want):
        a, b = np.asarray(got[name]), np.asarray(want[name])
        check(a.shape == b.shape and a.dtype == b.dtype,
              f"{name}: {a.shape} {a.dtype} in {got_path}, {b.shape} {b.dtype} in {want_path}")
        if np.issubdtype(b.dtype, np.floating) and tolerance > 0:
            diff = float(np.max(np.abs(a.astype(np.float64) - b))) if b.size else 0.0
            scale = max(1.0, float(np.max(np.abs(b)))) if b.size else 1.0
            check(diff <= tolerance * scale, f"{name}: max difference {diff:.3g} > {tolerance} * {scale:.3g}")
        else:
            check(np.array_equal(a, b, equal_nan=np.issubdtype(b.dtype, np.floating)),
                  f"{name}: values differ between {got_path} and {want_path}")
    return len(want)


def write_input(path):
    """data/example.fa plus two random records: enough windows (about 70 per shard) that a task is still
    running when the test cancels it after its first committed batch."""
    rng = np.random.default_rng(15)
    with open(EXAMPLE) as src, open(path, "w") as out:
        out.write(src.read())
        for name, length in (("random1", 95_500), ("random2", 104_250)):
            seq = "".join(rng.choice(list("ACGT"), length))
            out.write(f">{name}\n" + "".join(seq[i:i + 60] + "\n" for i in range(0, length, 60)))


def genomamba(binary, *args):
    r = subprocess.run([binary, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise TestFailure(f"genomamba {' '.join(args)} exited {r.returncode}:\n{r.stderr}")
    return r


def sharded_run(cluster, binary, work):
    input_fa = os.path.join(work, "input.fa")
    write_input(input_fa)
    merged = os.path.join(work, "out", "merged.h5")
    shards = merged + ".shards"
    env = dict(cluster.env, GM_BIN=binary, GM_COMMAND="embed", GM_MODEL=MODEL, GM_INPUT=input_fa,
               GM_OUTPUT=merged, GM_SHARDS="3", GM_WINDOW="1000", GM_DEVICE="cpu", GM_THREADS="1",
               GM_MEM="1G", GM_EXTRA_ARGS="--batch 4")

    def submit(**extra):
        r = subprocess.run([os.path.join(PIPELINE, "submit-sharded.sh")], env=dict(env, **extra), cwd=work,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        check(r.returncode == 0, f"submit-sharded.sh exited {r.returncode}:\n{r.stdout}{r.stderr}")
        ids = dict(re.findall(r"^(ARRAY_JOB|MERGE_JOB)=(\d+)$", r.stdout, re.M))
        check(len(ids) == 2, f"submit-sharded.sh printed no job ids:\n{r.stdout}")
        return ids["ARRAY_JOB"], ids["MERGE_JOB"]

    array_job, merge_job = submit()
    log(f"array job {array_job} (3 tasks), merge job {merge_job} after it")

    # Cancel task 1 once it has committed a batch, so that it stops in the middle of its work.
    partial = os.path.join(shards, "shard-1-of-3.h5.partial.d")
    wait_for(lambda: any(re.fullmatch(r"batch_\d+\.h5", n) for n in
                         (os.listdir(partial) if os.path.isdir(partial) else [])),
             60, "task 1's first committed batch", interval=0.02)
    cluster.run(["scancel", f"{array_job}_1"])
    log(f"cancelled task {array_job}_1 after its first batch")

    tasks = cluster.wait_job(array_job, 90)
    check(tasks.get("1", ("?",))[0] == "CANCELLED", f"task 1 should be CANCELLED: {tasks}")
    for t in ("0", "2"):
        check(tasks.get(t, ("?",))[0] == "COMPLETED" and tasks[t][1] == "0:0", f"task {t} should complete: {tasks}")
    check(not os.path.exists(os.path.join(shards, "shard-1-of-3.h5")),
          "task 1 finished before the cancel reached it (the input is too small for this machine)")
    kept = [n for n in os.listdir(partial) if re.fullmatch(r"batch_\d+\.h5", n)]
    check(kept, f"task 1's committed batches were not kept in {partial}")
    task1_log = read_text(os.path.join(shards, "logs", f"shard-1-of-3.{array_job}.log"))
    check("interrupted by SIGTERM" in task1_log, f"task 1's log does not say it was interrupted:\n{task1_log}")

    merge_state = cluster.wait_job(merge_job, 30)[None]
    check(merge_state[0] == "CANCELLED" and merge_state[2] == "DependencyNeverSatisfied",
          f"the merge job should be cancelled as its dependency failed, not {merge_state}")
    check(not os.path.exists(merged), "the merge ran although a task failed")
    log(f"task 1 CANCELLED with {len(kept)} batch(es) kept, tasks 0 and 2 COMPLETED, merge job {merge_state[0]} "
        f"({merge_state[2]})")

    # Resubmit the cancelled task and a new merge job.
    array_job2, merge_job2 = submit(GM_ARRAY="1")
    log(f"resubmitted task 1 as array job {array_job2}, merge job {merge_job2}")
    merge_state = cluster.wait_job(merge_job2, 120)[None]
    check(cluster.job_states(array_job2)["1"][:2] == ("COMPLETED", "0:0"),
          f"the resubmitted task did not complete: {cluster.job_states(array_job2)}")
    check(merge_state[:2] == ("COMPLETED", "0:0"), f"the merge job did not complete: {merge_state}")
    check(os.path.exists(merged), f"the merge job completed but {merged} is missing")
    # The resumed task computed only what the cancelled one had not committed.
    resumed_log = read_text(os.path.join(shards, "logs", f"shard-1-of-3.{array_job2}.log"))
    m = re.search(r"computed (\d+) tokens in this run", resumed_log)
    check(m, f"the resumed task's log has no summary:\n{resumed_log}")
    with h5py.File(os.path.join(shards, "shard-1-of-3.h5"), "r") as f:
        shard_tokens = int(np.sum(f["windows/end"][()] - f["windows/start"][()]))
    computed = int(m.group(1))
    check(0 < computed < shard_tokens,
          f"the resumed task computed {computed} tokens of its shard's {shard_tokens}: it did not resume")
    log(f"resumed task computed {computed} of its shard's {shard_tokens} tokens; merge COMPLETED")

    # One thread, as each task had: the result does not depend on it, and on a busy 2-core machine one
    # thread is several times faster than two.
    local = os.path.join(work, "local.h5")
    genomamba(binary, "embed", "-m", MODEL, "-i", input_fa, "-o", local, "--window", "1000",
              "--device", "cpu", "-@", "1", "-q")
    n = compare(merged, local, 0)
    log(f"merged output equals the local unsharded run: {n} datasets bit for bit")


def seqpar_run(cluster, binary, work):
    out = os.path.join(work, "seqpar", "example.h5")
    env = dict(cluster.env, GM_BIN=binary, GM_MODEL=MODEL, GM_INPUT=EXAMPLE, GM_OUTPUT=out, GM_WINDOW="5000",
               GM_RANKS="2", GM_THREADS="1", GM_MEM="2G", GM_EXTRA_ARGS="--per-position")
    r = subprocess.run([os.path.join(PIPELINE, "submit-seqpar.sh")], env=env, cwd=work,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check(r.returncode == 0, f"submit-seqpar.sh exited {r.returncode}:\n{r.stdout}{r.stderr}")
    job = re.search(r"^SEQPAR_JOB=(\d+)$", r.stdout, re.M)
    check(job, f"submit-seqpar.sh printed no job id:\n{r.stdout}")
    job = job.group(1)
    log(f"sequence-parallel job {job}: 2 ranks through srun")
    state = cluster.wait_job(job, 120)[None]
    job_log = read_text(os.path.join(work, "seqpar", f"example.h5.seqpar.{job}.log"))
    check(state[:2] == ("COMPLETED", "0:0"), f"the srun job ended {state}:\n{job_log}")
    check("split over 2 mpi ranks" in job_log, f"the job did not run as 2 MPI ranks:\n{job_log}")
    single = os.path.join(work, "single.h5")
    genomamba(binary, "embed", "-m", MODEL, "-i", EXAMPLE, "-o", single, "--window", "5000", "--per-position",
              "--device", "cpu", "--comm", "none", "-@", "1", "-q")
    n = compare(out, single, 1e-4)
    log(f"the 2-rank srun output equals a one-process run within 1e-4 ({n} datasets)")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    if os.geteuid() != 0:
        print("SKIPPED: the test cluster's slurmd and munged run as root; run as root", file=sys.stderr)
        return SKIP
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        print(f"SKIPPED: not installed: {' '.join(missing)} (scripts/setup.sh installs slurm-wlm and munge)",
              file=sys.stderr)
        return SKIP
    version = genomamba(binary, "--version").stdout

    def stop_now(signum, _frame):
        raise TestFailure(f"stopped by signal {signum}" if signum != signal.SIGALRM
                          else f"the test ran past its own deadline of {DEADLINE_S} s")
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM):
        signal.signal(s, stop_now)
    signal.alarm(DEADLINE_S)

    start = time.monotonic()
    cluster = Cluster()
    ok = False
    try:
        cluster.start()
        log(f"cluster up in {time.monotonic() - start:.1f} s: node {cluster.node}, {cluster.cpus} CPUs, "
            f"{cluster.tmp}")
        work = cluster.path("work")
        os.mkdir(work)
        sharded_run(cluster, binary, work)
        if re.search(r"backends:.*\bmpi\b", version):
            seqpar_run(cluster, binary, work)
        else:
            log(f"no MPI in this genomamba ({version.strip()}): the srun sequence-parallel job is left out")
        ok = True
    except Exception as e:  # noqa: BLE001 - any failure: say what, show the daemons' and jobs' logs
        print(f"FAILED: {e}" if isinstance(e, TestFailure) else f"FAILED: {type(e).__name__}: {e}",
              file=sys.stderr)
        cluster.dump_logs()
    finally:
        # The cleanup is bounded by its own timeouts: let nothing interrupt it.
        signal.alarm(0)
        for s in (signal.SIGTERM, signal.SIGINT):
            signal.signal(s, signal.SIG_IGN)
        cluster.stop()
    log(f"{'passed' if ok else 'failed'} in {time.monotonic() - start:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
