#pragma once
// Vector exp, softplus and SiLU for the SIMD variants, written once as templates over a vector-ops type V
// that each instruction-set file defines (selective_scan_avx2.cpp, selective_scan_avx512.cpp). V provides:
//   using F (the vector of floats); kLanes; kHasScalef (AVX-512: scalef and mask registers);
//   set1 add sub mul div fmadd(a,b,c)=a*b+c fnmadd(a,b,c)=c-a*b max min abs round(nearest integer)
//   ldexp(p, k) = p * 2^k for integral k in [-252, 254]; select_gt(a, b, x, y) = a > b ? x : y;
//   AVX2: shl23(t) (the float whose bits are those of t shifted left by 23);
//   AVX-512: exp2_finish(x, p, k) = x >= -126 or NaN ? p * 2^k : 0;
//   Mask, lane_mask(width), loadu/storeu, load/store (aligned), loadu_mask/storeu_mask (width lanes).
// Only files compiled with the instruction-set flags include this header. Everything here has internal
// linkage (anonymous namespace) on purpose: an inline function or template instantiation shared between
// translation units built with different -m flags could be linked into a caller on a CPU without them.
//
// Polynomials: Chebyshev fits (mpmath.chebyfit, coefficients rounded to float) of
//   2^f on [-1/2, 1/2]          p(f) = 1 + f q(f), q of degree 5: approximation error 9.2e-9 relative;
//   e^r on [-ln2/2, ln2/2]       p(r) = 1 + r (1 + r q(r)), q of degree 4: 9.7e-9 relative;
//   atanh(s) on [0, 1/3]         s + s^3 g(s^2), g of degree 3: 1.6e-8 relative.
// Rounding in float adds about one ulp; tests/ops/simd_math_test.cpp measures the total.

#include <cstdint>

#include "ops/cpu/simd_kernels.h"

namespace genomamba::ops::cpu::simd {
namespace {

/// 2^f for f in [-1/2, 1/2].
template <class V>
inline typename V::F exp2_poly(typename V::F f) {
  typename V::F q = V::set1(0x1.44138ap-13f);
  q = V::fmadd(q, f, V::set1(0x1.5f0890p-10f));
  q = V::fmadd(q, f, V::set1(0x1.3b2a54p-7f));
  q = V::fmadd(q, f, V::set1(0x1.c6af6cp-5f));
  q = V::fmadd(q, f, V::set1(0x1.ebfbe0p-3f));
  q = V::fmadd(q, f, V::set1(0x1.62e430p-1f));
  return V::fmadd(q, f, V::set1(1.0f));
}

/// e^r for r in [-ln2/2, ln2/2].
template <class V>
inline typename V::F exp_poly(typename V::F r) {
  typename V::F q = V::set1(0x1.6d10fcp-10f);
  q = V::fmadd(q, r, V::set1(0x1.120b62p-7f));
  q = V::fmadd(q, r, V::set1(0x1.55551ap-5f));
  q = V::fmadd(q, r, V::set1(0x1.5554dep-3f));
  q = V::fmadd(q, r, V::set1(0.5f));
  q = V::fmadd(q, r, V::set1(1.0f));
  return V::fmadd(q, r, V::set1(1.0f));
}

/// e^x over the whole float range: gradual underflow to 0 below about -103.3, +inf above about 88.72,
/// NaN stays NaN. Cody-Waite reduction x = k ln2 + r with a two-part ln2, so the error does not grow with |x|.
template <class V>
inline typename V::F exp(typename V::F x) {
  // max/min return their second operand when either is NaN: this order keeps a NaN x.
  x = V::min(V::set1(89.0f), V::max(V::set1(-104.0f), x));
  const typename V::F k = V::round(V::mul(x, V::set1(0x1.715476p+0f)));  // log2(e)
  typename V::F r = V::fnmadd(k, V::set1(0x1.62e430p-1f), x);              // ln2, high part
  r = V::fnmadd(k, V::set1(-0x1.05c610p-29f), r);                         // ln2, low part
  return V::ldexp(exp_poly<V>(r), k);
}

/// 2^x for the scan's decay factors (x = delta * A * log2(e) <= 0). Results below 2^-126 are flushed to 0
/// (a denormal state costs microcode assists on some CPUs and is below fp32 resolution of any sum it joins);
/// +inf from x = 128 (AVX2: from 127.5) up; NaN stays NaN. Relative error about 1 ulp elsewhere.
template <class V>
inline typename V::F exp2_scan(typename V::F x) {
  if constexpr (V::kHasScalef) {
    x = V::min(V::set1(128.0f), x);
    const typename V::F k = V::round(x);
    return V::exp2_finish(x, exp2_poly<V>(V::sub(x, k)), k);
  } else {
    // Round to an integer with the 1.5 * 2^23 trick: t = x + magic holds k + 127 in its low mantissa bits,
    // so shifting t's bits left by 23 gives the float 2^k (k = -127 gives 0, k = 128 gives +inf).
    const typename V::F magic = V::set1(0x1.8p23f + 127.0f);
    x = V::min(V::set1(128.0f), V::max(V::set1(-127.0f), x));
    const typename V::F t = V::add(x, magic);
    const typename V::F k = V::sub(t, magic);
    return V::mul(exp2_poly<V>(V::sub(x, k)), V::shl23(t));
  }
}

/// log1p(w) for w in [0, 1], as 2 atanh(w / (2 + w)): no cancellation for small w.
template <class V>
inline typename V::F log1p_unit(typename V::F w) {
  const typename V::F s = V::div(w, V::add(V::set1(2.0f), w));
  const typename V::F s2 = V::mul(s, s);
  typename V::F g = V::set1(0x1.12f598p-3f);
  g = V::fmadd(g, s2, V::set1(0x1.21249ap-3f));
  g = V::fmadd(g, s2, V::set1(0x1.99ad6cp-3f));
  g = V::fmadd(g, s2, V::set1(0x1.55554cp-2f));
  const typename V::F atanh_s = V::fmadd(V::mul(s, s2), g, s);
  return V::add(atanh_s, atanh_s);
}

/// softplus with PyTorch's threshold: v > 20 ? v : log1p(e^v), computed as max(v, 0) + log1p(e^-|v|).
template <class V>
inline typename V::F softplus(typename V::F v) {
  const typename V::F w = exp<V>(V::sub(V::set1(0.0f), V::abs(v)));
  const typename V::F r = V::add(V::max(v, V::set1(0.0f)), log1p_unit<V>(w));
  return V::select_gt(v, V::set1(20.0f), v, r);
}

/// SiLU: v / (1 + e^-v) (as the portable path; -0 for v below about -89).
template <class V>
inline typename V::F silu(typename V::F v) {
  return V::div(v, V::add(V::set1(1.0f), exp<V>(V::sub(V::set1(0.0f), v))));
}

/// y[i] = fn(x[i]) for i < n (the tail through masked loads and stores).
template <class V>
void apply_math(SimdMathFn fn, const float* x, float* y, int64_t n) {
  for (int64_t i = 0; i < n; i += V::kLanes) {
    const int64_t width = n - i < V::kLanes ? n - i : V::kLanes;
    const typename V::Mask mask = V::lane_mask(width);
    const typename V::F v = V::loadu_mask(x + i, mask);
    typename V::F r = v;
    switch (fn) {
      case SimdMathFn::EXP: r = exp<V>(v); break;
      case SimdMathFn::EXP2_SCAN: r = exp2_scan<V>(v); break;
      case SimdMathFn::SOFTPLUS: r = softplus<V>(v); break;
      case SimdMathFn::SILU: r = silu<V>(v); break;
    }
    V::storeu_mask(y + i, r, mask);
  }
}

}  // namespace
}  // namespace genomamba::ops::cpu::simd
