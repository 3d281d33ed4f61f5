#!/usr/bin/env bash
# Sanitizer builds of the test suite (issue 11 item 4; docs/reliability.md "Sanitizers").
#
#   scripts/sanitize.sh asan [ctest args...]   ASan + UBSan + LeakSanitizer, GCC, every C++ test, in build-asan/
#   scripts/sanitize.sh asan-ci [ctest args...] the same less reference_full_size, the apps kill-point loop and MPI
#                                               (what scripts/test.sh runs)
#   scripts/sanitize.sh tsan [ctest args...]   ThreadSanitizer, clang-14, the pipeline tests (core, apps), in build-tsan/
#   scripts/sanitize.sh all                    both
#
# Any finding fails the run: ASan stops at the first error, UBSan is built with -fno-sanitize-recover
# (cmake/Warnings.cmake) and TSan exits non-zero on a race. Suppressions live in tests/sanitizers/ and
# are only for third-party libraries, each with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
supp=$root/tests/sanitizers
jobs=$(nproc 2>/dev/null || echo 2)

# Child processes (the genomamba binary that the apps tests and reference_full_size run) inherit these.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1:symbolize=1:suppressions=$supp/asan.supp"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:suppressions=$supp/tsan.supp"

configure_and_build() {  # dir sanitizers extra-cmake-args... ; builds the targets in $targets
  local dir=$1 san=$2
  shift 2
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DCMAKE_C_FLAGS_DEBUG="-O1 -g" \
    -DGENOMAMBA_SANITIZE="$san" -DGENOMAMBA_BUILD_BENCH=OFF -DGENOMAMBA_WITH_CUDA=OFF "$@" >/dev/null
  nice -n 10 cmake --build "$dir" -j"$jobs" ${targets:+--target $targets}
}

run_asan() {  # ctest-exclude-regex [ctest args...]
  local exclude=$1
  shift
  # -O1 -g, as the ASan documentation advises: fast enough for the model tests, with frames and lines
  # that still match the source. Debug keeps assert() on. The default compiler (GCC), as in the normal
  # build.
  local start=$SECONDS
  targets="" configure_and_build build-asan "address;undefined"
  echo "[sanitize] asan build: $((SECONDS - start)) s" >&2
  # Every C++ test binary, plus reference_full_size, which runs the sanitized genomamba binary on the
  # full-size models. The two Python-only self-tests (reference_selftest, train_selftest) run no
  # genomamba code, so they are left to the normal suite.
  start=$SECONDS
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -E "$exclude" "$@"
  echo "[sanitize] asan ctest: $((SECONDS - start)) s" >&2
}

run_asan_ci() {
  # What scripts/test.sh runs: as `asan`, less reference_full_size (about 10 minutes under ASan) and less
  # the kill-point loop of the apps tests ([slow], apps_slow: 48 SIGKILLed runs, and a SIGKILLed process gets
  # no sanitizer check; its --resume runs repeat paths the other apps tests cover). The rest of apps runs
  # directly, with ctest's arguments, at the same time as the other entries (one stream each: the two take
  # about as long, and this machine kind has two cores).
  # Left out too, for now: the MPI runs (parallel_np*, apps_mpi, [mpi]), whose OpenMPI library keeps memory
  # past MPI_Finalize and patches the allocator; they run in the normal suite. Not yet tried under ASan.
  # And the workflow runs (pipelines_*: Snakemake, Slurm, the Nextflow module checks): they test how the
  # commands fit together, with paths the other tests already run under ASan.
  local start=$SECONDS status=0
  targets="" configure_and_build build-asan "address;undefined"
  echo "[sanitize] asan build: $((SECONDS - start)) s" >&2
  start=$SECONDS
  local apps_log=build-asan/apps-asan.log
  (cd build-asan/tests/apps && exec ./tests_apps '~[slow]~[mpi]' --order rand --rng-seed 12345) >"$apps_log" 2>&1 &
  local apps_pid=$!
  ctest --test-dir build-asan --output-on-failure -j1 \
    -E '^(reference_selftest|train_selftest|reference_full_size|apps|apps_slow|apps_mpi|parallel_np[0-9]+|pipelines_.*)$' \
    "$@" || status=1
  wait "$apps_pid" || status=1
  echo "[sanitize] asan apps ~[slow] (run beside ctest):" >&2
  cat "$apps_log"
  echo "[sanitize] asan ctest and apps: $((SECONDS - start)) s" >&2
  return "$status"
}

run_tsan() {
  # clang-14 with LLVM's libomp and its Archer tool (libarcher.so), which tells TSan about OpenMP's
  # barriers and tasks, so the OpenMP regions are checked too instead of reported as false races (GCC's
  # libgomp is not instrumented). OpenBLAS (Debian's pthread build) is not instrumented either;
  # genomamba sets it to one thread, and OPENBLAS_NUM_THREADS=1 keeps its pool from starting at all.
  local start=$SECONDS
  targets="tests_core tests_apps genomamba" configure_and_build build-tsan thread \
    -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14
  echo "[sanitize] tsan build: $((SECONDS - start)) s" >&2
  start=$SECONDS
  OMP_TOOL_LIBRARIES=/usr/lib/llvm-14/lib/libarcher.so OPENBLAS_NUM_THREADS=1 \
    ctest --test-dir build-tsan --output-on-failure -j"$jobs" -R '^(core|apps)$' "$@"
  echo "[sanitize] tsan ctest: $((SECONDS - start)) s" >&2
}

case "${1:-}" in
  asan) shift; run_asan '^(reference_selftest|train_selftest)$' "$@" ;;
  asan-ci) shift; run_asan_ci "$@" ;;
  tsan) shift; run_tsan "$@" ;;
  all) run_asan '^(reference_selftest|train_selftest)$'; run_tsan ;;
  *) echo "usage: scripts/sanitize.sh asan|asan-ci|tsan|all [ctest args...]" >&2; exit 2 ;;
esac
