#!/usr/bin/env bash
# The one test command (README and .ci/run): installs what is missing, builds, and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)
ctest --test-dir build --output-on-failure -j"$jobs"

# Then the C++ tests again under AddressSanitizer + UndefinedBehaviorSanitizer + LeakSanitizer, in
# build-asan/ (-O1 -g; scripts/sanitize.sh, docs/reliability.md "Sanitizers"): every Catch2 binary and
# the bad-input table, which run the sanitized genomamba binary on good and bad inputs alike. Left out
# to fit CI's time: reference_full_size (about 10 minutes under ASan here; the Release run above checks
# its numbers), the apps kill-point loop (its SIGKILLed runs cannot be checked by a sanitizer) and the two
# Python-only self-tests; `scripts/sanitize.sh asan` runs all but the last. GM_SANITIZE=0 skips this step
# for a quick local run.
if [ "${GM_SANITIZE:-1}" != 0 ]; then
  scripts/sanitize.sh asan-ci
fi
