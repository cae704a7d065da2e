#ifndef DEPOT_COPENBLAS_SHIM_H
#define DEPOT_COPENBLAS_SHIM_H
#if __has_include(<cblas.h>)
#include <cblas.h>
#else
#include <x86_64-linux-gnu/cblas.h>
#endif
#endif
