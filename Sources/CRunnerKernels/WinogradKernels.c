#include "CRunnerKernels.h"
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

// G for F(2x2, 3x3) and F(4x4, 3x3) (Lavin & Gray), rows of 3.
static const float g2[4][3] = {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
static const float g4[6][3] = {{0.25f, 0, 0}, {-1.0f / 6, -1.0f / 6, -1.0f / 6}, {-1.0f / 6, 1.0f / 6, -1.0f / 6},
                               {1.0f / 24, 1.0f / 12, 1.0f / 6}, {1.0f / 24, -1.0f / 12, 1.0f / 6}, {0, 0, 1}};

__attribute__((target("avx512f")))
void depot_winograd_kernels_avx512(const void *weight, size_t in_channels, size_t total_out, size_t o_first, size_t o_end,
                                   int output_tile, float *target) {
    const uint16_t *halves = (const uint16_t *)weight;
    const int alpha = output_tile + 2;
    const float *g = output_tile == 2 ? &g2[0][0] : &g4[0][0];
    // Lane j reads channel j's tap t at j * 9 + t of a 16-channel block.
    const __m512i channel_offsets = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                                       _mm512_set1_epi32(9));
    float block[16 * 9];
    for (size_t o = o_first; o < o_end; o++) {
        for (size_t c0 = 0; c0 < in_channels; c0 += 16) {
            const size_t lanes = in_channels - c0 < 16 ? in_channels - c0 : 16;
            const __mmask16 mask = lanes == 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << lanes) - 1);
            // 16 channels' taps are contiguous in OIHW: convert them, then read tap by tap across channels.
            const uint16_t *source = halves + (o * in_channels + c0) * 9;
            size_t converted = 0, count = lanes * 9;
            for (; converted + 16 <= count; converted += 16) {
                _mm512_storeu_ps(block + converted, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(source + converted))));
            }
            if (converted < count) {
                uint16_t tail[16] = {0};
                memcpy(tail, source + converted, sizeof(uint16_t) * (count - converted));
                _mm512_mask_storeu_ps(block + converted, (__mmask16)((1u << (count - converted)) - 1),
                                      _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)tail)));
            }
            __m512 taps[9];
            for (int t = 0; t < 9; t++) {
                taps[t] = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), mask, _mm512_add_epi32(channel_offsets, _mm512_set1_epi32(t)), block, 4);
            }
            // half[k][b] = Σ_a G[k][a] g[a][b]; U[k][l] = Σ_b half[k][b] G[l][b].
            __m512 half[6][3];
            for (int k = 0; k < alpha; k++) {
                for (int b = 0; b < 3; b++) {
                    __m512 sum = _mm512_mul_ps(_mm512_set1_ps(g[k * 3]), taps[b]);
                    sum = _mm512_fmadd_ps(_mm512_set1_ps(g[k * 3 + 1]), taps[3 + b], sum);
                    half[k][b] = _mm512_fmadd_ps(_mm512_set1_ps(g[k * 3 + 2]), taps[6 + b], sum);
                }
            }
            for (int k = 0; k < alpha; k++) {
                for (int l = 0; l < alpha; l++) {
                    __m512 sum = _mm512_mul_ps(half[k][0], _mm512_set1_ps(g[l * 3]));
                    sum = _mm512_fmadd_ps(half[k][1], _mm512_set1_ps(g[l * 3 + 1]), sum);
                    sum = _mm512_fmadd_ps(half[k][2], _mm512_set1_ps(g[l * 3 + 2]), sum);
                    const size_t point = (size_t)(k * alpha + l);
                    _mm512_mask_storeu_ps(target + (point * total_out + o) * in_channels + c0, mask, sum);
                }
            }
        }
    }
}
