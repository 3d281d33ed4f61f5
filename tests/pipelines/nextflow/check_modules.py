#!/usr/bin/env python3
"""What can be checked of pipelines/nextflow without Nextflow (issue 15 item 3; Nextflow is not packaged
in Debian and this machine has no network).

For every module under pipelines/nextflow/modules/local/ it reads main.nf with a few regular expressions
(the modules are ours and keep one statement per line) and then:
  * evaluates the script block's `x = task.ext.KEY ?: default` lines with the ext values of a test case,
    substitutes every Groovy ${...}/$name of the shell command with that case's values (a variable the test
    does not know is an error), stages the inputs as symlinks the way Nextflow does, runs the command with
    the genomamba under test first on PATH, and checks that the files it leaves are exactly the files the
    output block declares (resolved with the same values): none missing, none extra;
  * runs the stub block's shell the same way and checks its files against the declared outputs too;
  * for a module labelled process_gpu, runs the command once more as a task with an accelerator would
    (--device cuda): it must succeed (a GPU is here) or fail with exit 1 leaving no declared output, never
    with a usage error;
  * runs each versions eval command through the shell and checks it prints the version number that
    `TOOL --version` shows (genomamba's must be one line);
  * compares meta.yml with main.nf (name, inputs, output channels and their elements, the versions topic)
    and checks the nf-core conventions these modules promise (tag, labels, ext.args/ext.prefix, when:, an
    nf-test with a real and a stub test whose data files exist).

Usage: check_modules.py GENOMAMBA_BINARY [--keep]   (--keep leaves the work folders for a look)
Needs python3-yaml (a dependency of Debian's snakemake, which scripts/setup.sh installs) and, for the
tabix module, tabix.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]
PIPELINE = REPO / "pipelines" / "nextflow"
MODULES = PIPELINE / "modules" / "local"
DATA = REPO / "data"
MODEL = DATA / "models" / "caduceus-ph-untrained-d64-l4"
K54 = DATA / "kaptive-K54"

failures = []
passed = 0


def check(ok, what):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(what)
        print(f"FAIL: {what}", flush=True)
    return ok


# ---------------------------------------------------------------------------------------------------
# Reading a module's main.nf

SECTION_RE = re.compile(r"^    (input|output|when|script|stub):[ \t]*$", re.M)
# val(x) / path("x") / path('x') / eval("cmd") / eval('cmd'): one element of an input or output tuple
ELEMENT_RE = re.compile(r"""\b(val|path|eval)\(\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\w+))\s*\)""")


class Module:
    def __init__(self, main_nf):
        self.dir = main_nf.parent
        self.rel = self.dir.relative_to(MODULES).as_posix()
        text = main_nf.read_text()
        self.text = text
        m = re.search(r"^process\s+(\w+)\s*\{", text, re.M)
        if not m:
            raise ValueError(f"{main_nf}: no process")
        self.name = m.group(1)
        marks = list(SECTION_RE.finditer(text))
        self.directives = text[m.end():marks[0].start()]
        self.sections = {}
        for i, mark in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else text.rindex("}")
            self.sections[mark.group(1)] = text[mark.end():end]
        self.inputs = [[e[0] for e in elements(line)] for line in code_lines(self.sections["input"])]
        self.input_names = [[e[1] for e in elements(line)] for line in code_lines(self.sections["input"])]
        self.outputs = []  # dicts: emit, elements [(kind, text)], optional, topic
        for line in code_lines(self.sections["output"]):
            emit = re.search(r"\bemit:\s*(\w+)", line)
            topic = re.search(r"\btopic:\s*(\w+)", line)
            self.outputs.append({
                "emit": emit.group(1) if emit else None,
                "elements": elements(line),
                "optional": bool(re.search(r"\boptional:\s*true", line)),
                "topic": topic.group(1) if topic else None,
            })
        self.script_defs, self.script_shell = split_block(self.sections["script"])
        self.stub_defs, self.stub_shell = split_block(self.sections["stub"])


def strip_comment(line):
    """The line without a // comment (one outside quotes)."""
    quote, i = None, 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif line.startswith("//", i):
            return line[:i]
        i += 1
    return line


def code_lines(block):
    for line in block.splitlines():
        line = strip_comment(line).strip()
        if line:
            yield line


def elements(line):
    """[(kind, text)] of a tuple line: ('val', 'meta'), ('path', '${prefix}.h5'), ('eval', 'cmd')."""
    return [(m.group(1), next(g for g in m.groups()[1:] if g is not None)) for m in ELEMENT_RE.finditer(line)]


def split_block(block):
    """The Groovy lines before the triple-quoted shell string, and the string itself."""
    first = block.index('"""')
    second = block.index('"""', first + 3)
    return block[:first], block[first + 3:second]


# ---------------------------------------------------------------------------------------------------
# Groovy values, as far as these modules use them

TOKEN_RE = re.compile(r"\\\\|\\\$|\$\{([^}]*)\}|\$([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)")


class Unknown(Exception):
    pass


class Missing(Exception):
    pass


def interpolate(text, env):
    """A Groovy GString's value: \\ and \\$ escapes, ${expr} and $name.prop from env."""
    def repl(m):
        token = m.group(0)
        if token == "\\\\":
            return "\\"
        if token == "\\$":
            return "$"
        key = (m.group(1) or m.group(2)).strip()
        if key not in env:
            raise Unknown(key)
        return env[key]
    return TOKEN_RE.sub(repl, text)


def literal(expr, env):
    expr = expr.strip()
    if len(expr) >= 2 and expr[0] == expr[-1] == "'":
        return expr[1:-1]
    if len(expr) >= 2 and expr[0] == expr[-1] == '"':
        return interpolate(expr[1:-1], env)
    raise Unknown(expr)


def evaluate_defs(defs, env, ext, given):
    """Runs the `[def] x = ...` lines: `task.ext.K ?: default` from the case's ext, anything else only
    when the case gives its value (given: the value a real task would compute, e.g. device)."""
    env = dict(env)
    for line in code_lines(defs):
        m = re.match(r"(?:def\s+)?(\w+)\s*=\s*(.+)$", line)
        if not m:
            raise Unknown(f"statement {line!r}")
        name, expr = m.groups()
        ext_m = re.match(r"task\.ext\.(\w+)\s*\?:\s*(.+)$", expr)
        if ext_m and ext.get(ext_m.group(1)) is not None:
            env[name] = ext[ext_m.group(1)]
        elif ext_m:
            env[name] = literal(ext_m.group(2), env)
        elif name in given:
            env[name] = given[name]
        else:
            raise Unknown(f"{name} = {expr}")
    return env


# ---------------------------------------------------------------------------------------------------
# Test cases: one run of a module's command (and of its stub) with concrete values

class Out:
    """An input that is the output of an earlier case: its files on emit."""
    def __init__(self, case, emit):
        self.case, self.emit = case, emit


CPU = {"device": "", "max_memory": "--max-memory 4096M"}      # a CPU task with memory = 4.GB
GPU = {"device": "--device cuda", "max_memory": ""}            # a task with an accelerator

CASES = [
    # id, module, meta.id, ext, inputs (name: path, list of paths, string or Out)
    ("embed-0", "genomamba/embed", "example", {"args": "--window 2048 --shard 0/2", "prefix": "example.0-of-2"},
     {"input": DATA / "example.fa", "index": [], "model": MODEL}),
    ("embed-1", "genomamba/embed", "example", {"args": "--window 2048 --shard 1/2", "prefix": "example.1-of-2"},
     {"input": DATA / "example.fa", "index": [], "model": MODEL}),
    ("embed-merge", "genomamba/merge", "example", {},
     {"shards": [Out("embed-0", "embeddings"), Out("embed-1", "embeddings")]}),
    ("score-0", "genomamba/score", "K54", {"args": "--window 256 --shard 0/2", "prefix": "K54.0-of-2"},
     {"vcf": K54 / "K54.vcf", "vcf_index": [], "model": MODEL,
      "fasta": K54 / "K54.fa", "fasta_index": [K54 / "K54.fa.fai"]}),
    ("score-1", "genomamba/score", "K54", {"args": "--window 256 --shard 1/2", "prefix": "K54.1-of-2"},
     {"vcf": K54 / "K54.vcf", "vcf_index": [], "model": MODEL,
      "fasta": K54 / "K54.fa", "fasta_index": [K54 / "K54.fa.fai"]}),
    ("score-tsv", "genomamba/score", "K54", {"args": "--window 256", "suffix": "tsv"},
     {"vcf": K54 / "K54.vcf", "vcf_index": [], "model": MODEL,
      "fasta": K54 / "K54.fa", "fasta_index": [K54 / "K54.fa.fai"]}),
    ("score-merge", "genomamba/merge", "K54", {"suffix": "vcf.gz"},
     {"shards": [Out("score-0", "scores"), Out("score-1", "scores")]}),
    ("tabix", "tabix", "K54", {"args": "-p vcf"}, {"vcf": Out("score-merge", "merged")}),
    ("ism", "genomamba/ism", "K54_wzi", {"args": "--window 256"},
     {"fasta": K54 / "K54.fa", "fasta_index": [K54 / "K54.fa.fai"], "region": "K54:2901-2940",
      "model": MODEL}),
]
# one case per GPU-labelled module also runs as a task with an accelerator
GPU_CASES = {"embed-0", "score-0", "ism"}


def stage(inputs, results, workdir):
    """Symlinks the inputs into workdir under their own names (as Nextflow stages them) and returns the
    names each input variable renders as (a list renders space-separated, [] as nothing)."""
    env = {}
    for var, value in inputs.items():
        if isinstance(value, str):
            env[var] = value
            continue
        items = value if isinstance(value, list) else [value]
        paths = []
        for item in items:
            if isinstance(item, Out):
                if item.case not in results:
                    raise Missing(f"its input {var} comes from case {item.case}, which failed")
                paths += results[item.case][item.emit]
            else:
                paths.append(Path(item))
        for p in paths:
            (workdir / p.name).symlink_to(p.resolve())
        env[var] = " ".join(p.name for p in paths)
    return env


def run_shell(shell, workdir, path_env):
    # Nextflow runs .command.sh with bash; nf-core pipelines set -euo pipefail
    return subprocess.run(["/bin/bash", "-euo", "pipefail", "-c", shell], cwd=workdir, env=path_env,
                          capture_output=True, text=True, timeout=120)


def declared(module, env):
    """{emit: file name} of the outputs that are files, resolved with env; and the optional ones."""
    names, optional = {}, set()
    for out in module.outputs:
        for kind, text in out["elements"]:
            if kind == "path":
                names[out["emit"]] = interpolate(text, env)
                if out["optional"]:
                    optional.add(out["emit"])
    return names, optional


def new_entries(workdir, staged):
    return {p.name for p in workdir.iterdir()} - staged


def run_case(case, modules, results, root, path_env):
    cid, rel, meta_id, ext, inputs = case
    module = modules[rel]
    base_env = {"meta.id": meta_id, "task.cpus": "1", "task.process": module.name}
    outcome = {}
    for mode in ("script", "stub") + (("gpu",) if cid in GPU_CASES else ()):
        workdir = root / f"{cid}.{mode}"
        workdir.mkdir()
        defs, shell = (module.stub_defs, module.stub_shell) if mode == "stub" else \
                      (module.script_defs, module.script_shell)
        try:
            env = dict(base_env, **stage(inputs, results, workdir))
            env = evaluate_defs(defs, env, ext, GPU if mode == "gpu" else CPU)
            command = interpolate(shell, env)
            want, optional = declared(module, env)
        except Unknown as e:
            check(False, f"{cid} ({module.name} {mode}): no value for {e} (a new variable? add it to the test's table)")
            continue
        except Missing as e:
            check(False, f"{cid} ({module.name} {mode}): not run: {e}")
            continue
        staged = {p.name for p in workdir.iterdir()}
        done = run_shell(command, workdir, path_env)
        made = new_entries(workdir, staged)
        where = f"{cid} ({module.name} {mode}: {' '.join(command.replace(chr(92) + chr(10), ' ').split())})"
        if mode == "gpu" and done.returncode != 0:
            check(done.returncode == 1, f"{where}: exit {done.returncode} on a machine without a usable GPU "
                                        f"(want 1: no GPU; 2 means the flag itself is wrong)\n{done.stderr}")
            check(not (made & set(want.values())), f"{where}: a failed run left {sorted(made)}")
            outcome[mode] = {"": f"refused with exit {done.returncode} (no usable GPU here)"}
            continue
        if not check(done.returncode == 0, f"{where}: exit {done.returncode}\n{done.stderr}"):
            continue
        required = {n for e, n in want.items() if e not in optional}
        check(required <= made, f"{where}: declared but not written: {sorted(required - made)}")
        check(made <= set(want.values()), f"{where}: written but not declared: {sorted(made - set(want.values()))}")
        for name in made & set(want.values()):
            check((workdir / name).is_file(), f"{where}: {name} is not a plain file")
        outcome[mode] = want
        if mode == "script":
            results[cid] = {e: [workdir / n] for e, n in want.items()}
    if "script" in outcome and "stub" in outcome:
        check(outcome["script"] == outcome["stub"],
              f"{cid}: the stub declares {outcome['stub']}, the script {outcome['script']}")
    print(f"ran {cid} ({module.name}): {', '.join(f'{m}: {sorted(w.values())}' for m, w in outcome.items())}",
          flush=True)


# ---------------------------------------------------------------------------------------------------
# Versions, meta.yml and conventions

def check_versions(module, path_env):
    for out in module.outputs:
        evals = [text for kind, text in out["elements"] if kind == "eval"]
        if not evals:
            continue
        tool = [text for kind, text in out["elements"] if kind == "val"][1]
        check(out["topic"] == "versions", f"{module.name}: the {tool} version goes to topic {out['topic']}")
        check(out["emit"] == f"versions_{tool}", f"{module.name}: the {tool} version is emitted as {out['emit']}")
        if shutil.which(tool, path=path_env["PATH"]) is None:
            print(f"skip: {module.name}: no {tool} on PATH for its version check", flush=True)
            continue
        full = subprocess.run([tool, "--version"], env=path_env, capture_output=True, text=True)
        lines = full.stdout.splitlines()
        if tool == "genomamba":
            check(len(lines) == 1, f"genomamba --version prints {len(lines)} lines, not one: {full.stdout!r}")
        number = re.search(r"\b\d+(?:\.\d+)+\b", lines[0] if lines else "")
        got = subprocess.run(["/bin/bash", "-c", evals[0]], env=path_env, capture_output=True, text=True)
        check(number is not None and got.stdout.strip() == number.group(0),
              f"{module.name}: eval {evals[0]!r} prints {got.stdout.strip()!r}, "
              f"`{tool} --version` shows {number.group(0) if number else None!r}")


def meta_elements(channel):
    """[(name, type)] of one meta.yml channel: a list of {name: props} or one {name: props}."""
    items = channel if isinstance(channel, list) else [channel]
    return [(str(k), v.get("type")) for item in items for k, v in item.items()]


def check_meta(module):
    meta = yaml.safe_load((module.dir / "meta.yml").read_text())
    check(meta.get("name") == module.name.lower(), f"{module.rel}/meta.yml: name {meta.get('name')!r}")
    for key in ("description", "keywords", "tools", "authors", "maintainers"):
        check(bool(meta.get(key)), f"{module.rel}/meta.yml: no {key}")
    # inputs: one meta.yml channel per input line, with the same element names
    yml_inputs = [[n for n, _ in meta_elements(ch)] for ch in meta.get("input", [])]
    check(yml_inputs == module.input_names,
          f"{module.rel}/meta.yml: inputs {yml_inputs}, main.nf {module.input_names}")
    # outputs: the same channels, and per channel the same elements (meta, file names, eval commands)
    nf_outputs = {out["emit"]: [text for _, text in out["elements"]] for out in module.outputs}
    yml_outputs = {emit: [n for n, _ in meta_elements(ch[0])] for emit, ch in (meta.get("output") or {}).items()}
    check(yml_outputs == nf_outputs, f"{module.rel}/meta.yml: outputs {yml_outputs}, main.nf {nf_outputs}")
    for emit, ch in (meta.get("output") or {}).items():
        for name, kind in meta_elements(ch[0]):
            nf_kind = {"meta": "map"}.get(name)
            if name.startswith("${prefix}") or name.startswith("${vcf}"):
                check(kind == "file", f"{module.rel}/meta.yml: {emit} {name} has type {kind}")
            elif nf_kind:
                check(kind == nf_kind, f"{module.rel}/meta.yml: {emit} {name} has type {kind}")
    # the versions topic lists the same tuples as the outputs that go to it
    nf_topic = [[text for _, text in out["elements"]] for out in module.outputs if out["topic"] == "versions"]
    yml_topic = [[n for n, _ in meta_elements(ch)] for ch in (meta.get("topics") or {}).get("versions", [])]
    check(yml_topic == nf_topic, f"{module.rel}/meta.yml: topics.versions {yml_topic}, main.nf {nf_topic}")


def check_conventions(module):
    where = f"{module.rel}/main.nf"
    d, script, stub = module.directives, module.sections["script"], module.sections["stub"]
    check('tag "$meta.id"' in d, f"{where}: no tag \"$meta.id\"")
    check(re.search(r"label 'process_(single|low|medium|high)'", d) is not None, f"{where}: no resource label")
    gpu_label = "label 'process_gpu'" in d
    gpu_flag = "task.accelerator" in script and "--device cuda" in script
    check(gpu_label == gpu_flag, f"{where}: label process_gpu {gpu_label} but --device cuda on task.accelerator {gpu_flag}")
    if module.rel.startswith("genomamba/") and module.rel != "genomamba/merge":
        check(gpu_label and "label 'process_medium'" in d, f"{where}: a model step is process_medium + process_gpu")
    check("task.ext.when == null || task.ext.when" in module.sections["when"], f"{where}: no when: ext.when")
    for name, block in (("script", script), ("stub", stub)):
        check("task.ext.args" in block, f"{where}: {name} does not read task.ext.args")
        if "${prefix}" in module.sections["output"]:
            check("task.ext.prefix" in block, f"{where}: {name} does not read task.ext.prefix")
    check(all(kinds[0] == "val" and names[0].startswith("meta") for kinds, names in
              zip(module.inputs, module.input_names)), f"{where}: an input is not tuple val(meta...), path(...)")
    check(bool(module.stub_shell.strip()), f"{where}: empty stub")
    # the nf-test: a real and a stub test, and the data files it names exist
    test = module.dir / "tests" / "main.nf.test"
    if not check(test.is_file(), f"{module.rel}: no tests/main.nf.test"):
        return
    t = test.read_text()
    check(f'process "{module.name}"' in t and 'script "../main.nf"' in t, f"{test}: not a test of {module.name}")
    n_tests, n_stubs = len(re.findall(r'^\s*test\("', t, re.M)), t.count('options "-stub"')
    check(n_stubs >= 1 and n_tests > n_stubs, f"{test}: {n_tests} tests, {n_stubs} stub tests")
    for rel in re.findall(r'file\("\$\{moduleDir\}/([^"]+)"', t):
        check((module.dir / rel).resolve().exists(), f"{test}: names {rel}, which is not in this repository")
    for rel in re.findall(r'script "([^"]+)"', t):
        check((test.parent / rel).resolve().is_file(), f"{test}: script {rel} does not exist")


# ---------------------------------------------------------------------------------------------------

def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = Path(sys.argv[1]).resolve()
    keep = "--keep" in sys.argv[2:]
    if not os.access(binary, os.X_OK):
        sys.exit(f"not an executable: {binary}")
    root = Path(tempfile.mkdtemp(prefix="gm-nextflow-"))
    # the binary under test as `genomamba`, first on PATH (the modules call it by name)
    bindir = root / "bin"
    bindir.mkdir()
    (bindir / "genomamba").symlink_to(binary)
    path_env = dict(os.environ, PATH=f"{bindir}:{os.environ.get('PATH', '/usr/bin:/bin')}")

    modules = {}
    for main_nf in sorted(MODULES.glob("**/main.nf")):
        module = Module(main_nf)
        modules[module.rel] = module
    check(set(modules) >= {"genomamba/embed", "genomamba/score", "genomamba/ism", "genomamba/merge"},
          f"modules found: {sorted(modules)}")
    print(f"modules: {', '.join(f'{m.rel} ({m.name})' for m in modules.values())}", flush=True)

    try:
        for module in modules.values():
            check_conventions(module)
            check_meta(module)
            check_versions(module, path_env)
        # every module has a case; tabix needs the tool
        check({c[1] for c in CASES} >= set(modules), f"modules without a case: {set(modules) - {c[1] for c in CASES}}")
        gpu_modules = {rel for rel, m in modules.items() if "label 'process_gpu'" in m.directives}
        gpu_tried = {c[1] for c in CASES if c[0] in GPU_CASES}
        check(gpu_modules == gpu_tried, f"process_gpu modules {sorted(gpu_modules)}, run as GPU tasks {sorted(gpu_tried)}")
        results = {}
        for case in CASES:
            if case[1] == "tabix" and shutil.which("tabix") is None:
                print("skip: tabix case (no tabix on PATH)", flush=True)
                continue
            run_case(case, modules, results, root, path_env)
    finally:
        if keep:
            print(f"work folders kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

    print(f"nextflow module checks: {passed} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
