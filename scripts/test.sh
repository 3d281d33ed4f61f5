#!/usr/bin/env bash
# The one test command (README and .ci/run): installs what is missing, builds, and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)
ctest --test-dir build --output-on-failure -j"$jobs"

# Then the C++ tests again under AddressSanitizer + UndefinedBehaviorSanitizer + LeakSanitizer, in
# build-asan/ (-O1 -g; scripts/sanitize.sh asan-ci, docs/reliability.md "Sanitizers"): every Catch2 binary
# and the bad-input table, which run the sanitized genomamba binary on good and bad inputs alike; left out:
# reference_full_size, the apps kill-point loop and the Python-only self-tests. Measured 2026-12-06 on an
# idle 2-core machine from a clean clone: this step 15.5 min (build 511 s, tests 422 s), the whole script
# about 24 min. GM_SANITIZE=0 skips it for a quick local run.
if [ "${GM_SANITIZE:-1}" != 0 ]; then
  scripts/sanitize.sh asan-ci
fi
