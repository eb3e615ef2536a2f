// Compiled with -mavx2 -mfma (see CMakeLists.txt); only called when the CPU has both.
#define EMBER_ISA_NS avx2
#define EMBER_ISA_NAME "avx2"
#define EMBER_ISA_TABLE kernels_avx2
#include "runtime/backends/cpu/kernels_impl.inc"
