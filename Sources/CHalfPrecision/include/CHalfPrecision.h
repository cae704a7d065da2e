#ifndef DEPOT_CHALFPRECISION_H
#define DEPOT_CHALFPRECISION_H
#include <stddef.h>

/// Whether the CPU converts half floats in hardware (F16C with AVX).
int depot_half_hardware_available(void);

/// Converts `count` little-endian IEEE half floats at `source` (any alignment) to floats.
/// Only call when depot_half_hardware_available() returned non-zero.
void depot_half_to_float_hardware(const void *source, float *destination, size_t count);

#endif
