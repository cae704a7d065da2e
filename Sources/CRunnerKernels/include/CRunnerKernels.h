#ifndef DEPOT_CRUNNERKERNELS_H
#define DEPOT_CRUNNERKERNELS_H
#include <stddef.h>

/// Whether the CPU (and the OS, for the register state) supports the AVX-512F kernels below.
int depot_kernels_avx512_available(void);

/// In-place softmax of `rows` rows of `columns` floats, `stride` floats apart. With `causal`,
/// row r (the (first_row + r)-th query) sees columns 0...first_row + r and the rest become 0.
/// Only call when depot_kernels_avx512_available() returned non-zero.
void depot_softmax_rows_avx512(float *scores, size_t rows, size_t columns, size_t stride, size_t first_row, int causal);

#endif
