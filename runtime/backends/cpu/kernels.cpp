#include "runtime/backends/cpu/kernels.h"

#include <cstdlib>
#include <cstring>

namespace ember {
namespace cpu {

const Kernels& kernels_scalar();
#if defined(__x86_64__)
const Kernels& kernels_avx2();
const Kernels& kernels_avx512();
#endif

static const Kernels& select() {
  const char* force = getenv("EMBER_CPU_ISA");
#if defined(__x86_64__)
  __builtin_cpu_init();
  bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
  bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (force && strcmp(force, "scalar") == 0) return kernels_scalar();
  if (force && strcmp(force, "avx2") == 0 && avx2) return kernels_avx2();
  if (avx512) return kernels_avx512();
  if (avx2) return kernels_avx2();
#else
  (void)force;
#endif
  return kernels_scalar();
}

const Kernels& kernels() {
  static const Kernels& k = select();
  return k;
}

}  // namespace cpu
}  // namespace ember
