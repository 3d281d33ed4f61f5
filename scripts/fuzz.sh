#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/, GENOMAMBA_FUZZ=ON) in build-fuzz/ with clang and runs each one for
# a set time on its seed corpus.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]   SECONDS per target (default 600); TARGETs default to all six
#   scripts/fuzz.sh --smoke [TARGET...]      20 s per target: a short check that CI can afford
#
# Targets: safetensors model_config region bed sequence vcf.
# Per target it prints executions, exec/s, corpus size and findings; it exits 1 if any target found anything
# (crash, ASan/UBSan report, leak, timeout of one input, or an allocation over the limit), 2 on a usage error.
#
# Limits: one input may run 10 s (-timeout) and allocate at most 512 MB in one malloc (-malloc_limit_mb),
# and the process may not pass 2 GB RSS (-rss_limit_mb). Inputs are at most 4 KB (libFuzzer's default
# -max_len for small seeds), so any allocation near those limits comes from a size field, not from the data.
#
# Seeds in tests/fuzz/corpus/<target>/ are only read; what the fuzzer adds goes to build-fuzz/fuzz/corpus/<target>/
# (kept between runs) and reproducers of findings to build-fuzz/fuzz/findings/<target>/. Replay one with
#   build-fuzz/tests/fuzz/fuzz_<target> <file>
# Environment: FUZZ_NICE (default 19) is the niceness of the fuzz runs; FUZZ_JOBS (default 2) the build's -j.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$ROOT/build-fuzz"
ALL_TARGETS=(safetensors model_config region bed sequence vcf)

seconds=600
if [[ $# -gt 0 && $1 == --smoke ]]; then
  seconds=20
  shift
elif [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
elif [[ $# -gt 0 && ($1 == -h || $1 == --help) ]]; then
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=("${ALL_TARGETS[@]}")
for t in "${targets[@]}"; do
  if [[ ! " ${ALL_TARGETS[*]} " =~ " $t " ]]; then
    echo "fuzz.sh: unknown target '$t' (expected one of: ${ALL_TARGETS[*]})" >&2
    exit 2
  fi
done

if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ not found (libFuzzer needs clang; Debian: apt-get install clang)" >&2
  exit 2
fi

# Only what the fuzz targets need: no CUDA/MPI, no tests or benchmarks; RelWithDebInfo for readable stacks.
if [[ ! -f "$BUILD/CMakeCache.txt" ]]; then
  CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -DGENOMAMBA_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGENOMAMBA_WITH_CUDA=OFF -DGENOMAMBA_WITH_MPI=OFF -DGENOMAMBA_WITH_NCCL=OFF \
    -DGENOMAMBA_BUILD_TESTS=OFF -DGENOMAMBA_BUILD_BENCH=OFF >/dev/null
fi
nice -n 10 cmake --build "$BUILD" -j"${FUZZ_JOBS:-2}" --target fuzz_all >/dev/null

stat_of() {  # stat_of LOG NAME: the value of libFuzzer's final "stat::NAME: VALUE" line
  sed -n "s/^stat::$2: *//p" "$1" | tail -n 1
}

failed=0
printf '%-13s %12s %8s %8s %9s  %s\n' target executions exec/s corpus new findings
for t in "${targets[@]}"; do
  work="$BUILD/fuzz/corpus/$t"
  findings="$BUILD/fuzz/findings/$t"
  log="$BUILD/fuzz/$t.log"
  mkdir -p "$work" "$findings"
  touch "$log.start"  # findings of this run are the reproducers newer than this mark
  rc=0
  # The work folder comes first: libFuzzer writes its new inputs into the first corpus folder.
  nice -n "${FUZZ_NICE:-19}" "$BUILD/tests/fuzz/fuzz_$t" "$work" "$ROOT/tests/fuzz/corpus/$t" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 \
    -artifact_prefix="$findings/" -print_final_stats=1 >"$log" 2>&1 || rc=$?
  execs=$(stat_of "$log" number_of_executed_units)
  rate=$(stat_of "$log" average_exec_per_sec)
  added=$(stat_of "$log" new_units_added)
  corpus=$(find "$work" "$ROOT/tests/fuzz/corpus/$t" -type f | wc -l)
  n_found=$(find "$findings" -type f -newer "$log.start" | wc -l)
  if [[ $rc -ne 0 || $n_found -ne 0 ]]; then
    failed=1
    printf '%-13s %12s %8s %8s %9s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$corpus" "${added:-?}" \
      "FOUND (exit $rc): see $log and $findings/"
  else
    printf '%-13s %12s %8s %8s %9s  %s\n' "$t" "$execs" "$rate" "$corpus" "$added" none
  fi
done
exit "$failed"
