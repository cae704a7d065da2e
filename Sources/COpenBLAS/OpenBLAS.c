#include "COpenBLAS.h"

#include <CDynamicLibrary.h>

#define OPENBLAS_FUNCTIONS(X) X(cblas_sgemm) X(openblas_set_num_threads) X(openblas_get_num_threads) X(openblas_get_corename)

DEPOT_LIBRARY(openblas, "OpenBLAS", DEPOT_OPENBLAS_INSTALL, OPENBLAS_FUNCTIONS,
              DEPOT_LIBRARY_SONAMES(DEPOT_OPENBLAS_SONAME, "openblas", "libopenblas.0.dylib"));

#define OPENBLAS(name) DEPOT_LIBRARY_FUNCTION(openblas, name)

int depot_openblas_load(const char *soname, char *message, size_t capacity) {
    return depot_library_load(&openblas, soname, message, capacity);
}

void depot_cblas_sgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE transposeA, enum CBLAS_TRANSPOSE transposeB,
                       blasint m, blasint n, blasint k, float alpha, const float *a, blasint lda,
                       const float *b, blasint ldb, float beta, float *c, blasint ldc) {
    OPENBLAS(cblas_sgemm)(order, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void depot_openblas_set_num_threads(int count) { OPENBLAS(openblas_set_num_threads)(count); }

int depot_openblas_get_num_threads(void) { return OPENBLAS(openblas_get_num_threads)(); }

const char *depot_openblas_get_corename(void) { return OPENBLAS(openblas_get_corename)(); }
