#include "CHalfPrecision.h"
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

int depot_half_hardware_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx") && __builtin_cpu_supports("f16c");
}

// Only this function is compiled for F16C, so the library still runs on CPUs without it.
__attribute__((target("avx,f16c")))
void depot_half_to_float_hardware(const void *source, float *destination, size_t count) {
    const uint8_t *bytes = (const uint8_t *)source;
    size_t index = 0;
    for (; index + 8 <= count; index += 8) {
        __m128i halves = _mm_loadu_si128((const __m128i *)(bytes + 2 * index));
        _mm256_storeu_ps(destination + index, _mm256_cvtph_ps(halves));
    }
    if (index < count) {
        uint16_t tail[8] = {0};
        memcpy(tail, bytes + 2 * index, 2 * (count - index));
        float converted[8];
        _mm256_storeu_ps(converted, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)tail)));
        memcpy(destination + index, converted, sizeof(float) * (count - index));
    }
}
