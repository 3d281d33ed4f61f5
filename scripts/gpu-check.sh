#!/usr/bin/env bash
# Builds and runs the CUDA kernel tests on a GPU machine with nvcc but without this project's Debian -dev
# packages (the lent H100/H200 machines): kernels, the CPU ops they are checked against and the Catch2 tests
# are compiled with nvcc directly. Catch2's single header comes from CATCH2_DIR (a folder holding
# catch2/catch.hpp; default /usr/include).
# Usage: scripts/gpu-check.sh [build dir]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build-gpu}
catch_dir=${CATCH2_DIR:-/usr/include}
arch=${GM_CUDA_ARCH:-sm_90}
mkdir -p "$out"
nvcc -std=c++20 -O2 -arch="$arch" -Xcompiler -fopenmp -lgomp \
  -I src -I kernels -I tests -I "$catch_dir" \
  -DGM_SOURCE_DIR="\"$PWD\"" -DGM_TEST_DATA_DIR="\"$PWD/tests/data\"" -DGM_BINARY_DIR="\"$PWD/$out\"" \
  kernels/device.cu kernels/add_rms_norm.cu \
  src/core/error.cpp src/ops/cpu/add_rms_norm_cpu.cpp \
  tests/support/catch_main.cpp tests/kernels/add_rms_norm_cuda_test.cpp \
  -o "$out/tests_kernels"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
"$out/tests_kernels" --success --reporter compact | tail -n 20
