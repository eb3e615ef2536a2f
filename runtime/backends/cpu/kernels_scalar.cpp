#define EMBER_ISA_NS scalar
#define EMBER_ISA_NAME "scalar"
#define EMBER_ISA_TABLE kernels_scalar
#include "runtime/backends/cpu/kernels_impl.inc"
