// Ember's own CPU kernels for what XNNPACK (2022) lacks: transposes, layer norm, GELU, softmax
// (batch matmul uses the portable library's dispatched GEMM). One portable source
// (kernels_impl.inc) is compiled once per instruction set (scalar / AVX2+FMA / AVX-512) and the best table is chosen at run time
// from the CPU's features, so one build runs on any x86-64; an Arm NEON table can be added the
// same way. Every function works on a range so callers can split work across the pool.
#pragma once

#include <cstddef>

namespace ember {
namespace cpu {

struct Kernels {
  const char* isa;
  // dst[c * rows + r] = src[r * cols + c] for r in [r0, r1): one [rows, cols] matrix.
  void (*transpose)(const float* src, float* dst, size_t rows, size_t cols, size_t r0, size_t r1);
  // y = min(max(x * a + b, lo), hi)
  void (*affine_clamp)(const float* x, float* y, size_t n, float a, float b, float lo, float hi);
  void (*gelu)(const float* x, float* y, size_t n, bool tanh_approx);
  // Rows [r0, r1) of a [rows, d] matrix normalized over d.
  void (*layernorm)(const float* x, float* y, size_t d, const float* w, const float* b, float eps, size_t r0,
                    size_t r1);
  // In-place softmax of rows [r0, r1) of a [rows, d] matrix.
  void (*softmax)(float* x, size_t d, size_t r0, size_t r1);
};

// The table for this CPU (AVX-512 > AVX2+FMA > scalar). EMBER_CPU_ISA=scalar|avx2 forces one.
const Kernels& kernels();

}  // namespace cpu
}  // namespace ember
