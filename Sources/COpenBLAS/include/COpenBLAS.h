#ifndef DEPOT_COPENBLAS_H
#define DEPOT_COPENBLAS_H

/* depot does not link OpenBLAS: it opens the library on first use, so the commands that never run
   the model neither map it (with libgfortran and libquadmath) nor start its thread pool, and run
   where it is not installed. cblas.h is included for the types and constants only; call the
   depot_ functions below, never OpenBLAS's own names (they are not linked). */
#if __has_include(<cblas.h>)
#include <cblas.h>
#elif __has_include(<aarch64-linux-gnu/cblas.h>)
#include <aarch64-linux-gnu/cblas.h>
#else
#include <x86_64-linux-gnu/cblas.h>
#endif
#include <stddef.h>

#if defined(__APPLE__)
#define DEPOT_OPENBLAS_SONAME "libopenblas.0.dylib"
#define DEPOT_OPENBLAS_INSTALL "brew install openblas"
#else
#define DEPOT_OPENBLAS_SONAME "libopenblas.so.0"
#define DEPOT_OPENBLAS_INSTALL "apt install libopenblas0"
#endif

/* Opens OpenBLAS and resolves the functions below: `soname` alone, or the usual places when it is
   NULL (then nothing happens once loaded). The first library that loads serves the process.
   Returns 0, or -1 with the dynamic loader's message in `message`. Thread-safe. */
int depot_openblas_load(const char *soname, char *message, size_t capacity);

/* OpenBLAS's functions. Each loads the library if nothing did yet, and aborts with a message
   naming it when it cannot: call depot_openblas_load first to report that as an error. */
void depot_cblas_sgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE transposeA, enum CBLAS_TRANSPOSE transposeB,
                       blasint m, blasint n, blasint k, float alpha, const float *a, blasint lda,
                       const float *b, blasint ldb, float beta, float *c, blasint ldc);
void depot_openblas_set_num_threads(int count);
int depot_openblas_get_num_threads(void);
const char *depot_openblas_get_corename(void);

#endif
