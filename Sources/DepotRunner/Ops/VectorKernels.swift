import CRunnerKernels

/// Whether the AVX-512 kernels of CRunnerKernels run on this CPU (checked once). Elementwise
/// work in Swift is compiled for baseline x86-64 (4 lanes); those kernels work on 16.
enum VectorKernels {
    static let isAvailable = depot_kernels_avx512_available() != 0
}
