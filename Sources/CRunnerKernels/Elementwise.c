#include "CRunnerKernels.h"
#include "VectorMath.h"

__attribute__((target("avx512f")))
static inline __m512 silu16(__m512 x) {
    const __m512 one = _mm512_set1_ps(1.0f);
    return _mm512_div_ps(x, _mm512_add_ps(one, depot_exp16(_mm512_sub_ps(_mm512_setzero_ps(), x))));
}

// erf by Abramowitz & Stegun 7.1.26 (absolute error 1.5e-7), as the runner's scalar FastMath.erf.
__attribute__((target("avx512f")))
static inline __m512 erf16(__m512 x) {
    const __m512 a = _mm512_abs_ps(x);
    const __m512 t = _mm512_div_ps(_mm512_set1_ps(1.0f), _mm512_fmadd_ps(_mm512_set1_ps(0.3275911f), a, _mm512_set1_ps(1.0f)));
    __m512 p = _mm512_set1_ps(1.061405429f);
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.453152027f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.421413741f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.284496736f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.254829592f));
    const __m512 e = depot_exp16(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_mul_ps(a, a)));
    const __m512 value = _mm512_fnmadd_ps(_mm512_mul_ps(p, t), e, _mm512_set1_ps(1.0f));
    // Copy x's sign onto the result.
    const __m512i sign = _mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32((int)0x80000000u));
    return _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(value), sign));
}

static inline __mmask16 tail_mask(size_t count) { return (__mmask16)((1u << count) - 1); }

__attribute__((target("avx512f")))
void depot_silu_avx512(const float *x, float *y, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) _mm512_storeu_ps(y + i, silu16(_mm512_loadu_ps(x + i)));
    if (i < count) {
        const __mmask16 mask = tail_mask(count - i);
        _mm512_mask_storeu_ps(y + i, mask, silu16(_mm512_maskz_loadu_ps(mask, x + i)));
    }
}

__attribute__((target("avx512f")))
static inline __m512 geglu16(__m512 value, __m512 gate) {
    const __m512 gelu = _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), gate),
                                      _mm512_add_ps(_mm512_set1_ps(1.0f), erf16(_mm512_mul_ps(gate, _mm512_set1_ps(0.70710677f)))));
    return _mm512_mul_ps(value, gelu);
}

__attribute__((target("avx512f")))
void depot_geglu_avx512(const float *value, const float *gate, float *y, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) _mm512_storeu_ps(y + i, geglu16(_mm512_loadu_ps(value + i), _mm512_loadu_ps(gate + i)));
    if (i < count) {
        const __mmask16 mask = tail_mask(count - i);
        _mm512_mask_storeu_ps(y + i, mask, geglu16(_mm512_maskz_loadu_ps(mask, value + i), _mm512_maskz_loadu_ps(mask, gate + i)));
    }
}

__attribute__((target("avx512f")))
void depot_scale_shift_avx512(const float *x, float *y, size_t count, float scale, float shift, int silu) {
    const __m512 s = _mm512_set1_ps(scale), b = _mm512_set1_ps(shift);
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m512 v = _mm512_fmadd_ps(_mm512_loadu_ps(x + i), s, b);
        _mm512_storeu_ps(y + i, silu ? silu16(v) : v);
    }
    if (i < count) {
        const __mmask16 mask = tail_mask(count - i);
        __m512 v = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, x + i), s, b);
        _mm512_mask_storeu_ps(y + i, mask, silu ? silu16(v) : v);
    }
}

__attribute__((target("avx512f")))
static inline __m512d sum_doubles(__m512d sums, __m512 values) {
    sums = _mm512_add_pd(sums, _mm512_cvtps_pd(_mm512_castps512_ps256(values)));
    return _mm512_add_pd(sums, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(values), 1))));
}

__attribute__((target("avx512f")))
void depot_moments_avx512(const float *x, size_t count, double *mean, double *variance) {
    __m512d sums = _mm512_setzero_pd();
    size_t i = 0;
    for (; i + 16 <= count; i += 16) sums = sum_doubles(sums, _mm512_loadu_ps(x + i));
    if (i < count) sums = sum_doubles(sums, _mm512_maskz_loadu_ps(tail_mask(count - i), x + i));
    const double m = _mm512_reduce_add_pd(sums) / (double)count;
    const __m512d center = _mm512_set1_pd(m);
    __m512d squares = _mm512_setzero_pd();
    for (i = 0; i + 8 <= count; i += 8) {
        const __m512d d = _mm512_sub_pd(_mm512_cvtps_pd(_mm256_loadu_ps(x + i)), center);
        squares = _mm512_fmadd_pd(d, d, squares);
    }
    double tail = 0;
    for (; i < count; i++) tail += ((double)x[i] - m) * ((double)x[i] - m);
    *mean = m;
    *variance = (_mm512_reduce_add_pd(squares) + tail) / (double)count;
}
