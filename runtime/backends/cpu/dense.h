// Dense (groups = 1) convolution and fully-connected layers on the portable library's float32
// GEMM (blocked, AVX2/AVX-512 micro-kernels chosen at run time). Used by the cpu backend in
// place of XNNPACK's operators when a calibration at first use finds it faster on this CPU
// (XNNPACK 2022 lacks FMA kernels for some x86 CPUs); EMBER_CPU_GEMM=own|xnnpack forces one.
#pragma once

#include <cstddef>

namespace ember {
namespace cpu {

// y[M, N] (row stride N) = clamp(x[M, K] (row stride ldx) * wt[K, N] + bias, lo, hi), with
// rows or columns split over the shared pool. bias may be null.
void dense(const float* x, size_t ldx, const float* wt, const float* bias, float* y, size_t M, size_t K, size_t N,
           float lo, float hi);

struct ConvShape {
  size_t batch, h, w, cin;  // input, NHWC
  size_t oh, ow, cout;      // output, NHWC
  size_t kh, kw, sh, sw, pt, pl, dh, dw;
  bool pointwise() const {
    return kh == 1 && kw == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && oh == h && ow == w;
  }
};

// Rows of im2col a worker handles at once; conv_scratch_floats() sizes the caller's buffer.
constexpr size_t kConvRowBlock = 96;
size_t conv_scratch_floats(const ConvShape& s, size_t threads);

// NHWC convolution with weights wt[KH * KW * Cin, Cout] (the OHWI weights transposed): gathers
// im2col rows into `scratch` block by block and multiplies them with wt.
void conv_nhwc(const ConvShape& s, const float* x, const float* wt, const float* bias, float* y, float* scratch,
               float lo, float hi);

// True when the own GEMM beat XNNPACK's fully-connected operator in a one-time calibration.
bool prefer_own_gemm();

}  // namespace cpu
}  // namespace ember
