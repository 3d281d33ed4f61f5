// The AVX-512F variant of the selective scan (16 channels per vector). Compiled with -mavx512f -mfma (only
// this file; see src/ops/CMakeLists.txt) and called only when the CPU has both (cpu_features.h).

// GCC 12's AVX-512 intrinsics read _mm512_undefined_ps() and trip -Wmaybe-uninitialized (GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include "ops/cpu/simd_kernels.h"
#include "ops/cpu/simd_selective_scan.h"

namespace genomamba::ops::cpu {
namespace {

// The vector operations that simd_math.h and simd_selective_scan.h are written in.
struct Avx512 {
  using F = __m512;
  using Mask = __mmask16;
  static constexpr int kLanes = 16;
  static constexpr bool kHasScalef = true;

  static F set1(float a) { return _mm512_set1_ps(a); }
  static F load(const float* p) { return _mm512_load_ps(p); }
  static F loadu(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, F v) { _mm512_store_ps(p, v); }
  static void storeu(float* p, F v) { _mm512_storeu_ps(p, v); }
  static Mask lane_mask(int64_t width) { return static_cast<Mask>((1u << width) - 1u); }
  static F loadu_mask(const float* p, Mask m) { return _mm512_maskz_loadu_ps(m, p); }
  static void storeu_mask(float* p, F v, Mask m) { _mm512_mask_storeu_ps(p, m, v); }

  static F add(F a, F b) { return _mm512_add_ps(a, b); }
  static F sub(F a, F b) { return _mm512_sub_ps(a, b); }
  static F mul(F a, F b) { return _mm512_mul_ps(a, b); }
  static F div(F a, F b) { return _mm512_div_ps(a, b); }
  static F fmadd(F a, F b, F c) { return _mm512_fmadd_ps(a, b, c); }
  static F fnmadd(F a, F b, F c) { return _mm512_fnmadd_ps(a, b, c); }
  static F max(F a, F b) { return _mm512_max_ps(a, b); }
  static F min(F a, F b) { return _mm512_min_ps(a, b); }
  static F abs(F a) { return _mm512_abs_ps(a); }
  static F round(F a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static F select_gt(F a, F b, F x, F y) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_GT_OQ), y, x); }
  // scalef computes p * 2^floor(k) with IEEE overflow and gradual underflow.
  static F ldexp(F p, F k) { return _mm512_scalef_ps(p, k); }
  // x >= -126 or NaN ? p * 2^k : 0 (the scan's flush to zero below 2^-126).
  static F exp2_finish(F x, F p, F k) {
    return _mm512_maskz_scalef_ps(_mm512_cmp_ps_mask(x, _mm512_set1_ps(-126.0f), _CMP_NLT_UQ), p, k);
  }
};

}  // namespace

void selective_scan_avx512(const SelectiveScanParams& params) { simd::selective_scan<Avx512, 4>(params); }

void simd_math_avx512(SimdMathFn fn, const float* x, float* y, int64_t n) { simd::apply_math<Avx512>(fn, x, y, n); }

}  // namespace genomamba::ops::cpu
