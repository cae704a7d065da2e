#ifndef DEPOT_CRUNNERKERNELS_H
#define DEPOT_CRUNNERKERNELS_H
#include <stddef.h>

/// Whether the CPU (and the OS, for the register state) supports the AVX-512F kernels below.
int depot_kernels_avx512_available(void);

/// Whether these kernels were compiled with optimisation. Unoptimised (debug) builds of the
/// register-tiled product run several times slower than OpenBLAS, so callers keep to OpenBLAS then.
int depot_kernels_optimised(void);

/// In-place softmax of `rows` rows of `columns` floats, `stride` floats apart. With `causal`,
/// row r (the (first_row + r)-th query) sees columns 0...first_row + r and the rest become 0.
/// Only call when depot_kernels_avx512_available() returned non-zero.
void depot_softmax_rows_avx512(float *scores, size_t rows, size_t columns, size_t stride, size_t first_row, int causal);

/// y = x / (1 + e^-x) over `count` values (y may be x).
void depot_silu_avx512(const float *x, float *y, size_t count);

/// y[i] = value[i] · GELU(gate[i]) over `count` values, GELU with erf (Abramowitz & Stegun 7.1.26).
void depot_geglu_avx512(const float *value, const float *gate, float *y, size_t count);

/// y = x · scale + shift over `count` values, then SiLU when `silu` is non-zero (y may be x).
void depot_scale_shift_avx512(const float *x, float *y, size_t count, float scale, float shift, int silu);

/// Mean and biased variance of `count` values, accumulated in double precision.
void depot_moments_avx512(const float *x, size_t count, double *mean, double *variance);

/// Winograd-transformed 3x3 kernels U = G g Gᵀ for output tile 2 or 4 (α = tile + 2), from a
/// float16 OIHW weight of `in_channels` input channels: U[ξ][o][c] (ξ < α², point-major, each
/// point a [total_out, in_channels] matrix) for the output channels [o_first, o_end).
void depot_winograd_kernels_avx512(const void *weight, size_t in_channels, size_t total_out, size_t o_first, size_t o_end,
                                   int output_tile, float *target);

/// C[m×n] = W[m×k] · X[k×n], plus the previous C when `accumulate` is non-zero. W holds
/// little-endian IEEE float16 values, row-major with `ldw` values per row; X and C are float32,
/// row-major. W is converted in small blocks as it is used, so no float32 copy of it is written.
/// Only call when depot_kernels_avx512_available() returned non-zero.
void depot_half_weight_product_avx512(const void *w, size_t ldw, const float *x, size_t ldx, float *c, size_t ldc,
                                      size_t m, size_t n, size_t k, int accumulate);

#endif
