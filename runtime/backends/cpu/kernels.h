// Ember's own CPU kernels for what XNNPACK (2022) lacks: transposes, layer norm, GELU, softmax
// (batch matmul uses the portable library's dispatched GEMM). One portable source
// (kernels_impl.inc) is compiled once per instruction set (scalar / AVX2+FMA / AVX-512) and the
// best table is chosen at run time from the CPU's features, so one build runs on any x86-64; an Arm
// NEON table can be added the same way. Every function works on a range so callers can split work
// across the pool.
#pragma once

#include <cstddef>

namespace ember {
namespace cpu {

// A KH x KW window sliding over an NHWC input (a depthwise convolution, one filter per channel;
// the patches gathered for a dense convolution).
struct WindowShape {
  size_t batch, h, w, c;  // input [batch, h, w, c]
  size_t oh, ow;          // output [batch, oh, ow, c]
  size_t kh, kw, sh, sw, pt, pl, dh, dw;
};

// Filters of up to this many taps (7 x 7 and smaller) run on Ember's depthwise kernel.
constexpr size_t kMaxDepthwiseTaps = 64;

struct Kernels {
  const char* isa;
  // dst[c * rows + r] = src[r * cols + c] for r in [r0, r1): one [rows, cols] matrix.
  void (*transpose)(const float* src, float* dst, size_t rows, size_t cols, size_t r0, size_t r1);
  // y = min(max(x * a + b, lo), hi)
  void (*affine_clamp)(const float* x, float* y, size_t n, float a, float b, float lo, float hi);
  void (*gelu)(const float* x, float* y, size_t n, bool tanh_approx);
  // Rows [r0, r1) of a [rows, d] matrix normalized over d.
  void (*layernorm)(const float* x, float* y, size_t d, const float* w, const float* b, float eps,
                    size_t r0, size_t r1);
  // Rows [r0, r1) of a [rows, d] matrix replaced by the softmax of scale * row.
  void (*softmax)(float* x, size_t d, size_t r0, size_t r1, float scale);
  // Winograd F(2x2, 3x3) transforms of one tile over C channels (winograd.cpp): v[k * ks + c] =
  // (B^T d B)[k] from the 16 input rows d[4 * r + q] (C floats each), and
  // out[2 * r + q][c] = clamp((A^T m A)[r][q] + bias[c] + res[2 * r + q][c]) from the 16
  // products m[k * ks + c], for the outputs whose out[] is not null (res and bias may be null).
  void (*winograd_input)(const float* const* d, float* v, size_t ks, size_t C);
  void (*winograd_output)(const float* m, size_t ks, size_t C, const float* bias,
                          const float* const* res, float* const* out, float lo, float hi);
  // One output row y[ow][c] = clamp(depthwise(x, w) + bias, lo, hi) (then hardswish where
  // asked): rows[ky] is the input row
  // [w][c] under filter row ky, or null where that row is padding; w tap-major [kh * kw][c] (a
  // tap's weights contiguous over channels), bias [c] or null. Taking rows by pointer lets a
  // caller feed rows it computes on the fly (a fused pointwise convolution's ring buffer).
  void (*depthwise_row)(const WindowShape& s, const float* const* rows, const float* w,
                        const float* bias, float* y, float lo, float hi, bool hardswish);
  // Rows [r0, r1) of the im2col matrix of s (one per output pixel, row stride kh * kw * c:
  // the window's pixels in (ky, kx, channel) order, zero where they fall in the padding).
  void (*im2col_rows)(const WindowShape& s, const float* x, float* col, size_t r0, size_t r1);
};

// The table for this CPU (AVX-512 > AVX2+FMA > scalar). EMBER_CPU_ISA=scalar|avx2|avx512 asks
// for one (one the CPU lacks gives the best it has; avx512 is the default where present).
const Kernels& kernels();

}  // namespace cpu
}  // namespace ember
