#include "CRunnerKernels.h"
#include <immintrin.h>

// exp on 16 lanes with the same range reduction and polynomial as the runner's scalar
// FastMath.exp (Cephes' expf): n = round(x / ln 2), r = x - n ln 2 in two parts, 2^n by scalef.
__attribute__((target("avx512f")))
static inline __m512 exp16(__m512 x) {
    x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-87.3f)), _mm512_set1_ps(88.7f));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fmadd_ps(n, _mm512_set1_ps(2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    __m512 mantissa = _mm512_add_ps(_mm512_fmadd_ps(_mm512_mul_ps(p, r), r, r), _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(mantissa, n);
}

__attribute__((target("avx512f")))
static void softmax_row(float *line, size_t visible, size_t columns) {
    const __m512 negative_infinity = _mm512_set1_ps(-__builtin_inff());
    __m512 maxima = negative_infinity;
    size_t j = 0;
    for (; j + 16 <= visible; j += 16) maxima = _mm512_max_ps(maxima, _mm512_loadu_ps(line + j));
    __mmask16 tail = (__mmask16)((1u << (visible - j)) - 1);
    maxima = _mm512_max_ps(maxima, _mm512_mask_loadu_ps(negative_infinity, tail, line + j));
    const __m512 maximum = _mm512_set1_ps(_mm512_reduce_max_ps(maxima));

    __m512 sums = _mm512_setzero_ps();
    for (j = 0; j + 16 <= visible; j += 16) {
        __m512 e = exp16(_mm512_sub_ps(_mm512_loadu_ps(line + j), maximum));
        _mm512_storeu_ps(line + j, e);
        sums = _mm512_add_ps(sums, e);
    }
    if (tail) {
        __m512 e = exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(tail, line + j), maximum));
        e = _mm512_maskz_mov_ps(tail, e);
        _mm512_mask_storeu_ps(line + j, tail, e);
        sums = _mm512_add_ps(sums, e);
    }
    const __m512 inverse = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sums));
    for (j = 0; j + 16 <= visible; j += 16) _mm512_storeu_ps(line + j, _mm512_mul_ps(_mm512_loadu_ps(line + j), inverse));
    if (tail) _mm512_mask_storeu_ps(line + j, tail, _mm512_mul_ps(_mm512_maskz_loadu_ps(tail, line + j), inverse));
    for (j = visible; j < columns; j++) line[j] = 0;
}

__attribute__((target("avx512f")))
void depot_softmax_rows_avx512(float *scores, size_t rows, size_t columns, size_t stride, size_t first_row, int causal) {
    for (size_t r = 0; r < rows; r++) {
        size_t visible = columns;
        if (causal && first_row + r + 1 < columns) visible = first_row + r + 1;
        softmax_row(scores + r * stride, visible, columns);
    }
}
