// Dense (groups = 1) convolution and fully-connected layers on the portable library's float32
// GEMM (blocked, AVX2/AVX-512 micro-kernels chosen at run time). Used by the cpu backend in
// place of XNNPACK's operators when a calibration at first use finds it faster on this CPU
// (XNNPACK 2022 lacks FMA kernels for some x86 CPUs); EMBER_CPU_GEMM=own|xnnpack forces one.
#pragma once

#include <cstddef>

#include "runtime/backends/cpu/kernels.h"

namespace ember {
namespace cpu {

// Weights packed once at load into the GEMM's panel layout: ceil(N / width) panels of
// [K][width] columns (zero-padded), width = the active GEMM path's panel width, so every call
// reads them in place instead of packing them again.
size_t packed_weight_floats(size_t K, size_t N);
// w is [N, K] row-major (PyTorch's linear weight, or OHWI conv weights viewed as [Cout, K]).
void pack_weights(const float* w, size_t N, size_t K, float* packed);
// The same from any strides: W(n, k) = w[n * n_stride + k * k_stride].
void pack_weights_strided(const float* w, size_t N, size_t K, ptrdiff_t n_stride,
                          ptrdiff_t k_stride, float* packed);

// False when the environment variable `name` is "0": the backend's EMBER_CPU_* off switches
// (read once by each caller into a static).
bool switched_on(const char* name);

// Arithmetic work (multiply-adds count 2) below which an operator runs on the calling thread:
// waking the pool costs more than it saves. Shared by every cpu-backend operator.
constexpr double kMinParallelWork = 1 << 18;

// y[M, N] (row stride N) = clamp(x[M, K] (row stride ldx) * W^T + bias + residual, lo, hi)
// (residual: y's shape, or null; it may be y itself), then hardswish or (exact) GELU where asked,
// with W packed by pack_weights; rows or columns are split over the shared pool. bias may be null.
void dense(const float* x, size_t ldx, const float* packed, const float* bias, float* y, size_t M,
           size_t K, size_t N, const float* residual, float lo, float hi, bool hardswish = false,
           bool gelu = false);

// y[M, N] (row stride N) = clamp(x[M, K] (row stride ldx) * W^T + bias, lo, hi) (then hardswish
// where asked) on the calling thread (bias may be null).
void dense_rows(const float* x, size_t ldx, const float* packed, const float* bias, float* y,
                size_t M, size_t K, size_t N, float lo, float hi, bool hardswish = false);

// y[M, N] (row stride ldy) = x[M, K] (row stride ldx, column stride x_cs) * W^T, W packed by
// pack_weights*, on the calling thread, with no epilogue.
void dense_product(const float* x, size_t ldx, const float* packed, float* y, size_t ldy, size_t M,
                   size_t K, size_t N, size_t x_cs = 1);

// Columns [n0, n1) of dense_product's y, n0 a multiple of column_share(): one worker's share
// of a product split by output columns.
void dense_product_cols(const float* x, size_t ldx, const float* packed, float* y, size_t ldy,
                        size_t M, size_t K, size_t N, size_t n0, size_t n1);
// Column shares are multiples of this (the active GEMM path's panel width).
size_t column_share();

struct ConvShape {
  size_t batch, h, w, cin;  // input, NHWC
  size_t oh, ow, cout;      // output, NHWC
  size_t kh, kw, sh, sw, pt, pl, dh, dw;
  bool pointwise() const {
    return kh == 1 && kw == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && oh == h && ow == w;
  }
};

// The window of s over its input (for the own kernels: depthwise, im2col).
WindowShape window_shape(const ConvShape& s);

// Rows of im2col a worker handles at once; conv_scratch_floats() sizes the caller's buffer.
constexpr size_t kConvRowBlock = 96;
size_t conv_scratch_floats(const ConvShape& s, size_t threads);

// NHWC convolution with the OHWI weights packed by pack_weights (as [Cout, KH * KW * Cin]):
// gathers im2col rows into `scratch` (scratch_floats long, from conv_scratch_floats) block by
// block and multiplies them with the weights. Uses at most as many workers as scratch slots.
void conv_nhwc(const ConvShape& s, const float* x, const float* packed, const float* bias, float* y,
               float* scratch, size_t scratch_floats, const float* residual, float lo, float hi,
               bool hardswish = false);

// True when the own GEMM beat XNNPACK's fully-connected operator in a one-time calibration.
bool prefer_own_gemm();

}  // namespace cpu
}  // namespace ember
