/* Times depot_cblas_sgemm (OpenBLAS opened with dlopen, one call through a resolved pointer) against
   cblas_sgemm linked the usual way, alternating in one process, for products from tiny (where a
   call's overhead shows) to large. Prints the median nanoseconds per product of each and the ratio. */
#include <COpenBLAS.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { trials = 9 };

static double now(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return time.tv_sec + time.tv_nsec * 1e-9;
}

static int compare(const void *left, const void *right) {
    double a = *(const double *)left, b = *(const double *)right;
    return (a > b) - (a < b);
}

typedef void (*product)(int size, const float *a, const float *b, float *c);

static void linked(int size, const float *a, const float *b, float *c) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, size, size, size, 1, a, size, b, size, 0, c, size);
}

static void opened(int size, const float *a, const float *b, float *c) {
    depot_cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, size, size, size, 1, a, size, b, size, 0, c, size);
}

static double nanoseconds(product call, int size, long repeats, const float *a, const float *b, float *c) {
    double start = now();
    for (long index = 0; index < repeats; index++) call(size, a, b, c);
    return (now() - start) * 1e9 / repeats;
}

int main(void) {
    char message[512];
    if (depot_openblas_load(NULL, message, sizeof message) != 0) {
        fprintf(stderr, "cannot open OpenBLAS: %s\n", message);
        return 1;
    }
    const int sizes[] = {4, 16, 64, 256};
    printf("size  linked_ns  opened_ns  ratio\n");
    for (size_t which = 0; which < sizeof sizes / sizeof *sizes; which++) {
        int size = sizes[which];
        float *a = malloc(sizeof(float) * size * size), *b = malloc(sizeof(float) * size * size), *c = malloc(sizeof(float) * size * size);
        for (int index = 0; index < size * size; index++) { a[index] = (float)(index % 7); b[index] = (float)(index % 5); }
        /* Enough repeats for about 50 ms per trial. */
        double estimate = nanoseconds(linked, size, 10, a, b, c);
        long repeats = (long)(5e7 / (estimate > 1 ? estimate : 1)) + 1;
        double linkedTimes[trials], openedTimes[trials];
        for (int trial = 0; trial < trials; trial++) {
            linkedTimes[trial] = nanoseconds(linked, size, repeats, a, b, c);
            openedTimes[trial] = nanoseconds(opened, size, repeats, a, b, c);
        }
        qsort(linkedTimes, trials, sizeof(double), compare);
        qsort(openedTimes, trials, sizeof(double), compare);
        double linkedMedian = linkedTimes[trials / 2], openedMedian = openedTimes[trials / 2];
        printf("%4d %10.1f %10.1f %6.3f\n", size, linkedMedian, openedMedian, openedMedian / linkedMedian);
        free(a); free(b); free(c);
    }
    return 0;
}
