#!/usr/bin/env bash
# The GPU check, in one command, on a machine with an NVIDIA GPU but without this project's Debian -dev
# packages (the lent H100/H200 machines: CUDA 13 toolkit, python3 with numpy; docs/benchmarks.md, "On a GPU
# machine"). Takes its binaries from the bundle made by scripts/bundle.sh on the development machine:
#   1. dist/genomamba-bundle.tar.xz (or the tarball / bundle folder given as $1), unpacked to a temporary
#      folder; without one, and where cmake, nvcc and the -dev packages are found, a GENOMAMBA_PORTABLE build
#      in build-gpu bundled by scripts/bundle.sh;
#   2. checks that every binary's libraries resolve (ldd: the bundle's lib/, the machine's glibc, driver and
#      cuBLAS) and that genomamba --version runs;
#   3. prints the GPU (nvidia-smi); with no GPU it says so and exits 1 here;
#   4. runs the GPU tests: tests_kernels whole, and every other tests_* binary's test cases tagged [cuda]
#      (Catch2 spec "[cuda]"); exit code 77 (every case skipped: no GPU seen) counts as a failure here;
#   5. runs the GPU benchmarks (bench/run_gpu.sh: the scan alone, the forward at 1k..10M tokens, the CPU
#      forward at 16k for comparison);
#   6. prints a table: each test binary -> pass/FAIL, the benchmark rows.
# Each step runs under a timeout (GM_STEP_TIMEOUT, default 180 s per test binary; the benchmarks get
# GM_BENCH_BUDGET, default 330 s, plus 60). About 8 minutes on an H100. Exit 0 when every step passed.
# The whole output, the tests' own included, goes to ${OUT:-/tmp}/gpu-check.log.
# Usage: scripts/gpu-check.sh [bundle.tar.xz | bundle folder]
set -euo pipefail
given=${1:+$(realpath "$1")}  # before the cd: a path relative to where it was called from
cd "$(dirname "$0")/.."
root=$PWD
log=${OUT:-/tmp}/gpu-check.log
mkdir -p "$(dirname "$log")"
: >"$log"
step_timeout=${GM_STEP_TIMEOUT:-180}
export GM_BENCH_BUDGET=${GM_BENCH_BUDGET:-330}
python=${PYTHON:-python3}
work=$(mktemp -d "${TMPDIR:-/tmp}/genomamba-gpu-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$SECONDS

say() { echo "$*" | tee -a "$log"; }
results=()  # "| step | result |" rows of the final table
record() { results+=("| $1 | $2 |"); }
failures=0

summary() {
  say ""
  say "== gpu-check summary ($((SECONDS - start)) s; log: $log) =="
  say "| step | result |"
  say "|---|---|"
  for r in "${results[@]}"; do say "$r"; done
  if [ -s "$work/bench.out" ]; then
    say ""
    grep -v '^#' "$work/bench.out" | tee -a "$log" || true
  fi
  say ""
  if ((failures)); then say "gpu-check: FAILED ($failures)"; else say "gpu-check: OK"; fi
}

# 1. The binaries.
source=$given
if [ -z "$source" ]; then
  if [ -f dist/genomamba-bundle.tar.xz ]; then
    source=dist/genomamba-bundle.tar.xz
  elif [ -x dist/genomamba/bin/genomamba ]; then
    source=dist/genomamba
  fi
fi
if [ -z "$source" ]; then
  nvcc=$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)
  if command -v cmake >/dev/null && [ -x "$nvcc" ] && pkg-config --exists htslib 2>/dev/null; then
    say "gpu-check: no bundle; building one (GENOMAMBA_PORTABLE) in build-gpu"
    {
      cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release -DGENOMAMBA_PORTABLE=ON &&
        cmake --build build-gpu -j"$(nproc)" && scripts/bundle.sh build-gpu dist/genomamba
    } >>"$log" 2>&1 || { say "gpu-check: the build failed (see $log)"; exit 1; }
    source=dist/genomamba
  else
    say "gpu-check: no dist/genomamba-bundle.tar.xz, and no cmake/nvcc/-dev packages to build one:" \
      "make it on the development machine (scripts/bundle.sh) and carry it"
    exit 1
  fi
fi
if [ -f "$source" ]; then
  if command -v xz >/dev/null; then
    tar -xJf "$source" -C "$work"
  else  # no xz here: python3's tarfile reads .tar.xz too
    "$python" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$source" "$work"
  fi
  bundle=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n 1)
else
  bundle=$(cd "$source" && pwd -P)
fi
bin=$bundle/bin
say "gpu-check: binaries from $source ($(grep -m1 '^commit:' "$bundle/BUNDLE" 2>/dev/null || echo 'no BUNDLE file'))"
# glibc: the bundle's libstdc++ and libgcc_s come from the build machine and ask for its glibc. On an older
# glibc, use the machine's own libstdc++/libgcc_s instead (the binaries themselves ask for less).
machine_glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
need_glibc=$(sed -n 's/^glibc: \([0-9.]*\).*/\1/p' "$bundle/BUNDLE" 2>/dev/null)
say "gpu-check: glibc ${machine_glibc:-?} here; the bundle asks for ${need_glibc:-?}"
if [ -n "$machine_glibc" ] && [ -n "$need_glibc" ] &&
  [ "$(printf '%s\n' "$need_glibc" "$machine_glibc" | sort -V | head -n 1)" != "$need_glibc" ] && [ -f "$source" ]; then
  rm -f "$bundle/lib/libstdc++.so.6" "$bundle/lib/libgcc_s.so.1"
  export GM_BUNDLE_ALSO_FROM_MACHINE="libstdc++.so.6 libgcc_s.so.1"
  say "gpu-check: older glibc: using this machine's libstdc++.so.6 and libgcc_s.so.1 instead of the bundle's"
fi

# 2. Libraries and --version. cuBLAS is the machine's: where the RPATH's /usr/local/cuda/lib64 lacks it, look
# in the other usual places (the toolkit's targets folder, the nvidia-cublas wheel of python3).
if env -u LD_LIBRARY_PATH ldd "$bin/genomamba" 2>/dev/null | grep -q 'libcublas.*not found'; then
  for d in /usr/local/cuda/targets/x86_64-linux/lib /usr/local/cuda-13*/lib64 /usr/lib/x86_64-linux-gnu \
    "$("$python" -c 'import nvidia.cublas, os; print(os.path.join(os.path.dirname(nvidia.cublas.__file__), "lib"))' 2>/dev/null)"; do
    if [ -n "$d" ] && [ -e "$d/libcublas.so.13" ]; then
      export LD_LIBRARY_PATH=$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
      say "gpu-check: libcublas.so.13 from $d (LD_LIBRARY_PATH)"
      break
    fi
  done
fi
if timeout 120 scripts/bundle.sh --check "$bundle" >"$work/check.out" 2>&1; then
  record "bundle libraries (ldd)" "ok"
else
  record "bundle libraries (ldd)" "FAIL"
  failures=$((failures + 1))
fi
cat "$work/check.out" | tee -a "$log"
# The check runs without LD_LIBRARY_PATH; a machine whose cuBLAS was only found above is told so by ldd here.
missing=$(ldd "$bin/genomamba" 2>&1 | awk '/not found/ {print $1}' | paste -sd' ' - || true)
if [ -n "$missing" ]; then
  say "gpu-check: not found: $missing"
  record "libraries found" "FAIL (not found: $missing)"
  failures=$((failures + 1))
fi
if version=$(timeout 30 "$bin/genomamba" --version 2>&1); then
  record "genomamba --version" "ok: $(head -n 1 <<<"$version")"
else
  record "genomamba --version" "FAIL: $(tail -n 1 <<<"$version")"
  failures=$((failures + 1))
fi
say "$version"

# 3. The GPU.
gpu=
if ! command -v nvidia-smi >/dev/null; then
  gpu="nvidia-smi not found"
elif ! gpu=$(timeout 30 nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1) ||
  [ -z "$gpu" ]; then
  gpu="nvidia-smi: ${gpu:-no output}"
else
  gpu_ok=1
fi
if [ -z "${gpu_ok:-}" ]; then
  say "gpu-check: no GPU on this machine ($gpu); the bundle was checked, nothing on a GPU ran"
  record "GPU" "none visible: GPU tests and benchmarks not run"
  failures=$((failures + 1))
  summary
  exit 1
fi
say "gpu-check: GPU: $gpu"
record "GPU" "$(head -n 1 <<<"$gpu")"

# 4. The GPU tests, with the source tree of this checkout (tests/data, tools/) and the bundle's genomamba.
export GM_SOURCE_DIR=$root GM_GENOMAMBA=$bin/genomamba
for t in "$bin"/tests_*; do
  name=$(basename "$t")
  spec=()
  label=$name
  if [ "$name" != tests_kernels ]; then
    spec=("[cuda]")
    label="$name [cuda]"
    # Catch2 v2 exits with the number of test cases listed: the listing alone is read.
    cases=$("$t" --list-test-names-only "[cuda]" 2>/dev/null | sed '/^$/d' | wc -l || true)
    if ((cases == 0)); then
      record "$label" "- (no [cuda] test cases)"
      continue
    fi
  fi
  say "gpu-check: running $label"
  rc=0
  timeout --kill-after=10 "$step_timeout" "$t" "${spec[@]}" --order rand --rng-seed 12345 >"$work/test.out" 2>&1 ||
    rc=$?
  { echo "---- $label (exit $rc)"; cat "$work/test.out"; } >>"$log"
  counts=$(grep -E 'test cases' "$work/test.out" | tail -n 1 | sed 's/^ *//' || true)
  case $rc in
    0) record "$label" "pass (${counts:-?})" ;;
    77) record "$label" "FAIL: every test case skipped (no GPU seen by the test)"; failures=$((failures + 1)) ;;
    124 | 137) record "$label" "FAIL: timed out after ${step_timeout} s"; failures=$((failures + 1)) ;;
    *) record "$label" "FAIL: exit $rc (${counts:-?})"; failures=$((failures + 1)) ;;
  esac
  if ((rc != 0)); then tail -n 25 "$work/test.out"; fi
done

# 5. The benchmarks.
say "gpu-check: running bench/run_gpu.sh (budget ${GM_BENCH_BUDGET} s)"
rc=0
timeout --kill-after=10 $((GM_BENCH_BUDGET + 60)) bench/run_gpu.sh "$bin" >"$work/bench.out" 2>"$work/bench.err" ||
  rc=$?
cat "$work/bench.err" "$work/bench.out" >>"$log"
if ((rc == 0)); then
  record "benchmarks (bench/run_gpu.sh)" "ok"
else
  why=$(grep -v '^#' "$work/bench.err" | tail -n 1 || true)
  record "benchmarks (bench/run_gpu.sh)" "FAIL (exit $rc${why:+: $why}; $(tail -n 1 "$work/bench.out"))"
  failures=$((failures + 1))
fi

# 6.
summary
((failures == 0))
