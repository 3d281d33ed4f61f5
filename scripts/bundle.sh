#!/usr/bin/env bash
# The relocatable bundle of a GENOMAMBA_PORTABLE build, for a machine without this project's Debian -dev
# packages (the lent GPU machines: scripts/gpu-check.sh there; docs/benchmarks.md, "On a GPU machine"):
#   <out>/bin/  genomamba, the tests_* and bench_* binaries (stripped; RPATH $ORIGIN/../lib)
#   <out>/lib/  every shared library they load, except glibc's, the NVIDIA driver's (libcuda, libnvidia-*) and
#               the CUDA toolkit's (libcudart, libcublas, libcublasLt), which the GPU machine has
#   <out>/BUNDLE  what it was built from, and the libraries it expects the machine to provide
# then packs <out>/.. /genomamba-bundle.tar.xz (the one file to carry) and prints its size.
#
# Usage: scripts/bundle.sh [build dir (default build-gpu)] [out dir (default dist/genomamba)]
#        scripts/bundle.sh --check DIR|TARBALL
#   --check: every library of every binary under bin/ that is not one of the excluded ones must resolve
#   inside the bundle's lib/ (ldd, LD_LIBRARY_PATH unset), and bin/genomamba --version must run. A tarball is
#   unpacked to a temporary folder first. Exit 0 when both hold.
#
# Build first: cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release -DGENOMAMBA_PORTABLE=ON
#              cmake --build build-gpu -j"$(nproc)"
set -euo pipefail
cd "$(dirname "$0")/.."

# Libraries the target machine provides: glibc (all of its parts: they must match its ld.so), the NVIDIA
# driver, and the CUDA toolkit's runtime and cuBLAS.
excluded_re='^(linux-vdso\.so|ld-linux.*\.so|libc\.so|libm\.so|libmvec\.so|libpthread\.so|libdl\.so|librt\.so|libresolv\.so|libnsl\.so|libutil\.so|libanl\.so|libBrokenLocale\.so|libnss_[a-z0-9_]*\.so|libthread_db\.so|libc_malloc_debug\.so|libcuda\.so|libnvidia-[a-z0-9_.-]*\.so|libcudart\.so|libcublas\.so|libcublasLt\.so)'

# GM_BUNDLE_ALSO_FROM_MACHINE: more sonames the check accepts from the machine (scripts/gpu-check.sh, on a
# machine whose glibc is older than the bundled libstdc++ asks for).
also=" ${GM_BUNDLE_ALSO_FROM_MACHINE:-} "
is_excluded() { [[ "$1" =~ $excluded_re ]] || [[ "$also" == *" $1 "* ]]; }

# "soname path" for every library ldd reports for $1 ("soname not-found" when unresolved).
ldd_libs() {
  env -u LD_LIBRARY_PATH ldd "$1" | awk '
    /=> not found/ { print $1, "not-found"; next }
    /=>/ && $3 ~ /^\// { print $1, $3; next }
    $1 ~ /^\// { n = split($1, p, "/"); print p[n], $1 }'
}

check() {
  local target=$1 dir tmp=
  if [ -f "$target" ]; then
    tmp=$(mktemp -d)
    tar -xJf "$target" -C "$tmp"
    dir=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
  else
    dir=$target
  fi
  dir=$(cd "$dir" && pwd -P)
  [ -d "$dir/bin" ] && [ -d "$dir/lib" ] || { echo "bundle check: $dir has no bin/ and lib/" >&2; return 1; }
  local failures=0 binaries=0 provided=()
  for bin in "$dir"/bin/*; do
    [ -x "$bin" ] && [ -f "$bin" ] || continue
    binaries=$((binaries + 1))
    while read -r name path; do
      if is_excluded "$name"; then
        [ "$path" = not-found ] && provided+=("$name (NOT FOUND here)") || provided+=("$name")
        continue
      fi
      if [ "$path" = not-found ]; then
        echo "FAIL $(basename "$bin"): $name not found" >&2
        failures=$((failures + 1))
      elif [[ "$(readlink -f "$path")" != "$dir/lib/"* ]]; then
        echo "FAIL $(basename "$bin"): $name resolves outside the bundle: $path" >&2
        failures=$((failures + 1))
      fi
    done < <(ldd_libs "$bin")
  done
  local version
  if ! version=$(env -u LD_LIBRARY_PATH "$dir/bin/genomamba" --version 2>&1); then
    echo "FAIL bin/genomamba --version: $version" >&2
    failures=$((failures + 1))
  fi
  echo "bundle check: $binaries binaries, $(ls "$dir/lib" | wc -l) bundled libraries; from the machine:" \
    "$(printf '%s\n' "${provided[@]}" | sort -u | paste -sd, - | sed 's/,/, /g')"
  echo "bundle check: genomamba --version: $(head -n 1 <<<"$version")"
  [ -n "$tmp" ] && rm -rf "$tmp"
  if ((failures)); then
    echo "bundle check: FAILED ($failures problems)" >&2
    return 1
  fi
  echo "bundle check: OK (every library but glibc's, the driver's and CUDA's resolves inside $dir/lib)"
}

if [ "${1:-}" = --check ]; then
  [ -n "${2:-}" ] || { echo "usage: scripts/bundle.sh --check DIR|TARBALL" >&2; exit 2; }
  check "$2"
  exit
fi

build=${1:-build-gpu}
out=${2:-dist/genomamba}
[ -f "$build/CMakeCache.txt" ] || { echo "bundle: $build is not a build folder" >&2; exit 2; }
grep -q '^GENOMAMBA_PORTABLE:BOOL=ON' "$build/CMakeCache.txt" ||
  { echo "bundle: $build was not configured with -DGENOMAMBA_PORTABLE=ON" >&2; exit 2; }

binaries=("$build/apps/genomamba")
while IFS= read -r f; do binaries+=("$f"); done < <(find "$build/tests" "$build/bench" -type f -perm -u+x \
  \( -name 'tests_*' -o -name 'bench_*' \) 2>/dev/null | sort)
for b in "${binaries[@]}"; do [ -x "$b" ] || { echo "bundle: $b is missing (build it first)" >&2; exit 2; }; done

rm -rf "$out"
mkdir -p "$out/bin" "$out/lib"
declare -A copied=()
for b in "${binaries[@]}"; do
  cp "$b" "$out/bin/"
  strip --strip-unneeded "$out/bin/$(basename "$b")"
  while read -r name path; do
    is_excluded "$name" && continue
    [ "$path" = not-found ] && { echo "bundle: $(basename "$b") needs $name, which is not found here" >&2; exit 1; }
    [ -n "${copied[$name]:-}" ] && continue
    cp -L "$path" "$out/lib/$name"
    chmod u+w "$out/lib/$name"
    strip --strip-unneeded "$out/lib/$name" 2>/dev/null || true
    copied[$name]=$path
    # A bundled library with its own RUNPATH would not look in the executable's RPATH for its dependencies.
    if readelf -d "$out/lib/$name" 2>/dev/null | grep -q 'RUNPATH'; then
      echo "bundle: warning: $name has a RUNPATH; its dependencies may not be found in lib/" >&2
    fi
  done < <(ldd_libs "$b")
done

# The newest glibc symbol version the bundle asks for: of the binaries, and of everything (libstdc++ and libgcc_s
# of the build machine ask for its own glibc).
max_glibc() { for f in "$@"; do objdump -T "$f" 2>/dev/null | grep -o 'GLIBC_2\.[0-9]*'; done | sort -t. -k2,2n -u | tail -n 1 | sed 's/GLIBC_//'; }
glibc_bin=$(max_glibc "$out"/bin/*)
glibc_all=$(max_glibc "$out"/bin/* "$out"/lib/*)
{
  echo "genomamba bundle"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
  echo "built: $(date -u +%Y-%m-%dT%H:%MZ) on $(. /etc/os-release && echo "$PRETTY_NAME"), $(ldd --version | head -n 1)"
  echo "glibc: $glibc_all (binaries alone: $glibc_bin; the bundled libstdc++/libgcc_s ask for more)"
  echo "from the machine: glibc >= $glibc_all, libcuda.so.1 (NVIDIA driver)," \
    "libcublas.so.13 and libcublasLt.so.13 (CUDA 13 toolkit, /usr/local/cuda/lib64)"
  echo "binaries: $(cd "$out/bin" && ls | paste -sd' ' -)"
} >"$out/BUNDLE"

tarball="$(dirname "$out")/genomamba-bundle.tar.xz"
tar -C "$(dirname "$out")" -cf - "$(basename "$out")" | xz -9 -T"$(nproc)" >"$tarball.tmp"
mv "$tarball.tmp" "$tarball"
echo "bundle: $out: $(ls "$out/bin" | wc -l) binaries, ${#copied[@]} libraries, $(du -sh "$out" | cut -f1) unpacked"
echo "bundle: $tarball: $(du -h "$tarball" | cut -f1) ($(stat -c %s "$tarball") bytes)"
