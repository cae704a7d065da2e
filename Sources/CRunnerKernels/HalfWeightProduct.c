#include "CRunnerKernels.h"
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

// Register tile: 12 rows of W times 32 columns of X = 24 accumulators of 16 lanes. The k loop goes
// in blocks of 256, so a block of X (256 x n floats) stays in L2 while every row of W passes over it.
enum { MR = 12, NR = 32, KC = 256 };

/// Rows [i0, i0 + MR) x columns [k0, k0 + kc) of W as float32 in `block` (row-major, KC per row);
/// rows past m are zero.
__attribute__((target("avx512f")))
static void convert_rows(const uint16_t *w, size_t ldw, size_t i0, size_t m, size_t k0, size_t kc, float *block) {
    for (size_t i = 0; i < MR; i++) {
        float *target = block + i * KC;
        if (i0 + i >= m) {
            memset(target, 0, sizeof(float) * kc);
            continue;
        }
        const uint16_t *source = w + (i0 + i) * ldw + k0;
        size_t j = 0;
        for (; j + 16 <= kc; j += 16) {
            _mm512_storeu_ps(target + j, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(source + j))));
        }
        if (j < kc) {
            uint16_t tail[16] = {0};
            memcpy(tail, source + j, sizeof(uint16_t) * (kc - j));
            __m512 values = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)tail));
            _mm512_mask_storeu_ps(target + j, (__mmask16)((1u << (kc - j)) - 1), values);
        }
    }
}

static inline __mmask16 lanes_mask(size_t count) {
    return count >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1);
}

__attribute__((target("avx512f")))
void depot_half_weight_product_avx512(const void *weights, size_t ldw, const float *x, size_t ldx, float *c, size_t ldc,
                                      size_t m, size_t n, size_t k, int accumulate) {
    const uint16_t *w = (const uint16_t *)weights;
    float block[MR * KC] __attribute__((aligned(64)));
    if (k == 0 && !accumulate) {
        for (size_t i = 0; i < m; i++) memset(c + i * ldc, 0, sizeof(float) * n);
        return;
    }
    for (size_t k0 = 0; k0 < k; k0 += KC) {
        const size_t kc = k - k0 < KC ? k - k0 : KC;
        const int starts_from_zero = k0 == 0 && !accumulate;
        for (size_t i0 = 0; i0 < m; i0 += MR) {
            const size_t rows = m - i0 < MR ? m - i0 : MR;
            convert_rows(w, ldw, i0, m, k0, kc, block);
            for (size_t j0 = 0; j0 < n; j0 += NR) {
                const size_t columns = n - j0;
                const __mmask16 low = lanes_mask(columns), high = columns > 16 ? lanes_mask(columns - 16) : 0;
                __m512 acc[MR][2];
                for (int i = 0; i < MR; i++) {
                    if (starts_from_zero || (size_t)i >= rows) {
                        acc[i][0] = _mm512_setzero_ps();
                        acc[i][1] = _mm512_setzero_ps();
                    } else {
                        acc[i][0] = _mm512_maskz_loadu_ps(low, c + (i0 + i) * ldc + j0);
                        acc[i][1] = _mm512_maskz_loadu_ps(high, c + (i0 + i) * ldc + j0 + 16);
                    }
                }
                const float *xp = x + k0 * ldx + j0;
                for (size_t p = 0; p < kc; p++) {
                    const __m512 x0 = _mm512_maskz_loadu_ps(low, xp + p * ldx);
                    const __m512 x1 = _mm512_maskz_loadu_ps(high, xp + p * ldx + 16);
                    #pragma clang loop unroll(full)
                    for (int i = 0; i < MR; i++) {
                        const __m512 weight = _mm512_set1_ps(block[i * KC + p]);
                        acc[i][0] = _mm512_fmadd_ps(weight, x0, acc[i][0]);
                        acc[i][1] = _mm512_fmadd_ps(weight, x1, acc[i][1]);
                    }
                }
                for (size_t i = 0; i < rows; i++) {
                    _mm512_mask_storeu_ps(c + (i0 + i) * ldc + j0, low, acc[i][0]);
                    _mm512_mask_storeu_ps(c + (i0 + i) * ldc + j0 + 16, high, acc[i][1]);
                }
            }
        }
    }
}
