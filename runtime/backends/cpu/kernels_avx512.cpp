// Compiled with -mavx512f -mavx512vl -mfma; only called when the CPU has AVX-512F.
#define EMBER_ISA_NS avx512
#define EMBER_ISA_NAME "avx512"
#define EMBER_ISA_TABLE kernels_avx512
#include "runtime/backends/cpu/kernels_impl.inc"
