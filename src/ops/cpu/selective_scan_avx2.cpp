// The AVX2 + FMA variant of the selective scan (8 channels per vector). Compiled with -mavx2 -mfma (only
// this file; see src/ops/CMakeLists.txt) and called only when the CPU has both (cpu_features.h).
#include <immintrin.h>

#include "ops/cpu/simd_kernels.h"
#include "ops/cpu/simd_selective_scan.h"

namespace genomamba::ops::cpu {
namespace {

// The vector operations that simd_math.h and simd_selective_scan.h are written in.
struct Avx2 {
  using F = __m256;
  using Mask = __m256i;
  static constexpr int kLanes = 8;
  static constexpr bool kHasScalef = false;

  static F set1(float a) { return _mm256_set1_ps(a); }
  static F load(const float* p) { return _mm256_load_ps(p); }
  static F loadu(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, F v) { _mm256_store_ps(p, v); }
  static void storeu(float* p, F v) { _mm256_storeu_ps(p, v); }
  static Mask lane_mask(int64_t width) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(width)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static F loadu_mask(const float* p, Mask m) { return _mm256_maskload_ps(p, m); }
  static void storeu_mask(float* p, F v, Mask m) { _mm256_maskstore_ps(p, m, v); }

  static F add(F a, F b) { return _mm256_add_ps(a, b); }
  static F sub(F a, F b) { return _mm256_sub_ps(a, b); }
  static F mul(F a, F b) { return _mm256_mul_ps(a, b); }
  static F div(F a, F b) { return _mm256_div_ps(a, b); }
  static F fmadd(F a, F b, F c) { return _mm256_fmadd_ps(a, b, c); }
  static F fnmadd(F a, F b, F c) { return _mm256_fnmadd_ps(a, b, c); }
  static F max(F a, F b) { return _mm256_max_ps(a, b); }
  static F min(F a, F b) { return _mm256_min_ps(a, b); }
  static F abs(F a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
  static F round(F a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static F select_gt(F a, F b, F x, F y) { return _mm256_blendv_ps(y, x, _mm256_cmp_ps(a, b, _CMP_GT_OQ)); }
  static F shl23(F t) { return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(t), 23)); }
  // p * 2^k as p * 2^(k>>1) * 2^(k - (k>>1)): both factors are normal floats, so the one rounding is in the
  // last product and underflow is gradual.
  static F ldexp(F p, F k) {
    const __m256i ki = _mm256_cvtps_epi32(k);
    const __m256i k1 = _mm256_srai_epi32(ki, 1);
    const __m256i k2 = _mm256_sub_epi32(ki, k1);
    const __m256i bias = _mm256_set1_epi32(127);
    const F f1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k1, bias), 23));
    const F f2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k2, bias), 23));
    return _mm256_mul_ps(_mm256_mul_ps(p, f1), f2);
  }
};

}  // namespace

void selective_scan_avx2(const SelectiveScanParams& params) { simd::selective_scan<Avx2, 4>(params); }

void simd_math_avx2(SimdMathFn fn, const float* x, float* y, int64_t n) { simd::apply_math<Avx2>(fn, x, y, n); }

}  // namespace genomamba::ops::cpu
