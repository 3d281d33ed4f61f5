#!/usr/bin/env bash
# Installs every Debian package genomamba needs (design §3; idempotent) and builds it in build/.
# Usage: scripts/setup.sh [extra cmake -D options...]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config git
  libhts-dev tabix samtools bcftools    # HTSlib and the tools that make and check test inputs
  libhdf5-dev hdf5-tools                # HDF5 output (C API) and h5dump
  libcli11-dev catch2 nlohmann-json3-dev
  libopenblas-dev
  libopenmpi-dev openmpi-bin
  python3-torch python3-numpy python3-h5py python3-biopython   # tools/reference (tests only), tools/train
  snakemake slurm-wlm munge                  # workflow tests
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "[setup] installing: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build -j"$jobs"
echo "[setup] built build/apps/genomamba" >&2
