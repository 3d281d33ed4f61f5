#pragma once
/// Instruction-set variants of the CPU kernels and the run-time choice between them.
///
/// Kernels with SIMD variants (the selective scan; other CPU ops may use the same levels) build one file per
/// instruction set, each with its own compiler flags (`ops/cpu/selective_scan_{avx2,avx512}.cpp`), next to the
/// portable path. The variant is chosen once per process: the best one that this build has and this CPU can
/// run, unless the environment variable `GENOMAMBA_SIMD=portable|avx2|avx512` asks for another (benchmarks,
/// tests). A choice that this machine or build cannot run falls back to the best supported variant, with a
/// one-line warning.
#include <string_view>

namespace genomamba::ops::cpu {

/// Instruction-set levels, in increasing order.
enum class SimdLevel { PORTABLE = 0, AVX2 = 1, AVX512 = 2 };

/// "portable", "avx2" or "avx512" (the GENOMAMBA_SIMD spelling).
const char* simd_level_name(SimdLevel level);

/// Whether this build contains the variant and this CPU (and OS) can run it. PORTABLE is always supported;
/// AVX2 needs AVX2 + FMA, AVX512 needs AVX-512F (+ AVX2 + FMA, which every such CPU has).
bool simd_supported(SimdLevel level);

/// The best supported level.
SimdLevel best_simd_level();

/// The level asked for by a GENOMAMBA_SIMD value: null, empty or "auto" means the best supported level; an
/// unknown name or an unsupported level logs a one-line warning and gives the best supported level.
SimdLevel choose_simd_level(const char* request);

/// The level the kernels run: choose_simd_level(getenv("GENOMAMBA_SIMD")), decided on first use.
SimdLevel active_simd_level();

}  // namespace genomamba::ops::cpu
