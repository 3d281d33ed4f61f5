#include "ops/cpu/cpu_features.h"

#include <cstdlib>
#include <string>

#include "core/log.h"

namespace genomamba::ops::cpu {
namespace {

// What the CPU can run. GCC's __builtin_cpu_supports also checks (via XGETBV) that the OS saves the
// AVX/AVX-512 register state. GM_SIMD_X86 is set by src/ops/CMakeLists.txt when the variant files are built.
bool cpu_has(SimdLevel level) {
  switch (level) {
    case SimdLevel::PORTABLE:
      return true;
#if defined(GM_SIMD_X86)
    case SimdLevel::AVX2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case SimdLevel::AVX512:
      // Every AVX-512F CPU has AVX2 and FMA; the variant files are built with -mfma too, so check it anyway.
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    case SimdLevel::AVX2:
    case SimdLevel::AVX512:
      return false;
#endif
  }
  return false;
}

}  // namespace

const char* simd_level_name(SimdLevel level) {
  switch (level) {
    case SimdLevel::PORTABLE:
      return "portable";
    case SimdLevel::AVX2:
      return "avx2";
    case SimdLevel::AVX512:
      return "avx512";
  }
  return "?";
}

bool simd_supported(SimdLevel level) {
  static const bool avx2 = cpu_has(SimdLevel::AVX2);
  static const bool avx512 = cpu_has(SimdLevel::AVX512);
  switch (level) {
    case SimdLevel::PORTABLE:
      return true;
    case SimdLevel::AVX2:
      return avx2;
    case SimdLevel::AVX512:
      return avx512;
  }
  return false;
}

SimdLevel best_simd_level() {
  if (simd_supported(SimdLevel::AVX512)) return SimdLevel::AVX512;
  if (simd_supported(SimdLevel::AVX2)) return SimdLevel::AVX2;
  return SimdLevel::PORTABLE;
}

SimdLevel choose_simd_level(const char* request) {
  const SimdLevel best = best_simd_level();
  const std::string_view want = request ? request : "";
  if (want.empty() || want == "auto") return best;
  for (SimdLevel level : {SimdLevel::PORTABLE, SimdLevel::AVX2, SimdLevel::AVX512}) {
    if (want != simd_level_name(level)) continue;
    if (simd_supported(level)) return level;
    log::warning(std::string("GENOMAMBA_SIMD=") + simd_level_name(level) +
                 " is not supported by this CPU or build; using " + simd_level_name(best));
    return best;
  }
  log::warning("GENOMAMBA_SIMD='" + std::string(want) + "' is not one of portable, avx2, avx512, auto; using " +
               simd_level_name(best));
  return best;
}

SimdLevel active_simd_level() {
  static const SimdLevel level = choose_simd_level(std::getenv("GENOMAMBA_SIMD"));
  return level;
}

}  // namespace genomamba::ops::cpu
