#include "CRunnerKernels.h"
#include "VectorMath.h"

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
        __m512 e = depot_exp16(_mm512_sub_ps(_mm512_loadu_ps(line + j), maximum));
        _mm512_storeu_ps(line + j, e);
        sums = _mm512_add_ps(sums, e);
    }
    if (tail) {
        __m512 e = depot_exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(tail, line + j), maximum));
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
