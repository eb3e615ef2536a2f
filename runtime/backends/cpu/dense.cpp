#include "runtime/backends/cpu/dense.h"

#include <xnnpack.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "runtime/kernels/portable/gemm_f32.h"
#include "runtime/platform/platform.h"
#include "runtime/threadpool/threadpool.h"

namespace ember {
namespace cpu {
namespace {

// Hands the GEMM the prepacked panels of columns [n0, ...): panel p of the sub-problem is
// packed panel (n0 / width + p).
struct PackedB {
  const float* packed;
  size_t K;
  size_t n0;
};

const float* packed_panel(void* ctx, int64_t pc, int64_t, int64_t jr, int64_t, int width, float*, int64_t* ld) {
  const PackedB& b = *static_cast<const PackedB*>(ctx);
  const size_t w = static_cast<size_t>(width);
  *ld = width;
  return b.packed + ((b.n0 + static_cast<size_t>(jr)) / w) * b.K * w + static_cast<size_t>(pc) * w;
}

// One tile of dense(): rows [m0, m1), columns [n0, n1) of y; x_m0 points at row m0 of x. n0 is
// a multiple of the panel width.
void dense_tile(const float* x_m0, size_t ldx, const float* packed, const float* bias, float* y, size_t K,
                size_t N, size_t m0, size_t m1, size_t n0, size_t n1, float lo, float hi) {
  const size_t cols = n1 - n0;
  for (size_t i = m0; i < m1; ++i) {
    float* row = y + i * N + n0;
    if (bias)
      memcpy(row, bias + n0, cols * sizeof(float));
    else
      memset(row, 0, cols * sizeof(float));
  }
  PackedB b{packed, K, n0};
  kernels::gemm_f32::active().driver(static_cast<int64_t>(m1 - m0), static_cast<int64_t>(cols),
                                     static_cast<int64_t>(K), x_m0, static_cast<int64_t>(ldx), 1,
                                     kernels::gemm_f32::PanelFn{&packed_panel, &b}, y + m0 * N + n0,
                                     static_cast<int64_t>(N), 1, 1.0f, true);
  if (std::isinf(lo) && std::isinf(hi)) return;
  for (size_t i = m0; i < m1; ++i) {
    float* row = y + i * N + n0;
    for (size_t j = 0; j < cols; ++j) row[j] = std::min(std::max(row[j], lo), hi);
  }
}

// Gathers im2col rows [r0, r1) (output pixels) into col (row stride KH * KW * Cin).
void im2col_rows(const ConvShape& s, const float* x, float* col, size_t r0, size_t r1) {
  const size_t kc = s.kh * s.kw * s.cin;
  for (size_t r = r0; r < r1; ++r) {
    const size_t b = r / (s.oh * s.ow), p = r % (s.oh * s.ow), oy = p / s.ow, ox = p % s.ow;
    float* dst = col + (r - r0) * kc;
    for (size_t ky = 0; ky < s.kh; ++ky) {
      const long iy = static_cast<long>(oy * s.sh + ky * s.dh) - static_cast<long>(s.pt);
      for (size_t kx = 0; kx < s.kw; ++kx, dst += s.cin) {
        const long ix = static_cast<long>(ox * s.sw + kx * s.dw) - static_cast<long>(s.pl);
        if (iy < 0 || iy >= static_cast<long>(s.h) || ix < 0 || ix >= static_cast<long>(s.w)) {
          memset(dst, 0, s.cin * sizeof(float));
        } else {
          memcpy(dst, x + ((b * s.h + static_cast<size_t>(iy)) * s.w + static_cast<size_t>(ix)) * s.cin,
                 s.cin * sizeof(float));
        }
      }
    }
  }
}

double median_ms(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

bool calibrate() {
  if (const char* force = getenv("EMBER_CPU_GEMM")) {
    if (strcmp(force, "own") == 0) return true;
    if (strcmp(force, "xnnpack") == 0) return false;
  }
  // A 1x1-convolution-like layer, single-threaded, three timed runs each after a warm-up.
  const size_t M = 256, K = 256, N = 256;
  std::vector<float> x(M * K), w(N * K), wt(packed_weight_floats(K, N)), b(N, 0.f), y(M * N);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 13) * 0.1f;
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i % 7) * 0.05f;
  pack_weights(w.data(), N, K, wt.data());
  xnn_operator_t op = nullptr;
  if (xnn_create_fully_connected_nc_f32(K, N, K, N, w.data(), b.data(), -INFINITY, INFINITY, 0, &op) !=
          xnn_status_success ||
      xnn_setup_fully_connected_nc_f32(op, M, x.data(), y.data(), nullptr) != xnn_status_success) {
    if (op) xnn_delete_operator(op);
    return true;
  }
  std::vector<double> t_xnn, t_own;
  for (int rep = 0; rep < 4; ++rep) {
    uint64_t s = platform::now_ns();
    xnn_run_operator(op, nullptr);
    uint64_t m = platform::now_ns();
    dense_tile(x.data(), K, wt.data(), b.data(), y.data(), K, N, 0, M, 0, N, -INFINITY, INFINITY);
    uint64_t e = platform::now_ns();
    if (rep > 0) {
      t_xnn.push_back((m - s) / 1e6);
      t_own.push_back((e - m) / 1e6);
    }
  }
  xnn_delete_operator(op);
  return median_ms(t_own) < median_ms(t_xnn);
}

}  // namespace

size_t packed_weight_floats(size_t K, size_t N) {
  const size_t w = static_cast<size_t>(kernels::gemm_f32::active().panel_width);
  return (N + w - 1) / w * w * K;
}

void pack_weights(const float* wt_nk, size_t N, size_t K, float* packed) {
  const size_t w = static_cast<size_t>(kernels::gemm_f32::active().panel_width);
  for (size_t p = 0; p * w < N; ++p) {
    float* panel = packed + p * K * w;
    for (size_t k = 0; k < K; ++k)
      for (size_t j = 0; j < w; ++j) {
        const size_t n = p * w + j;
        panel[k * w + j] = n < N ? wt_nk[n * K + k] : 0.0f;
      }
  }
}

bool prefer_own_gemm() {
  static const bool own = calibrate();
  return own;
}

void dense(const float* x, size_t ldx, const float* packed, const float* bias, float* y, size_t M, size_t K, size_t N,
           float lo, float hi) {
  const size_t threads = threadpool::num_threads();
  const double flops = 2.0 * static_cast<double>(M) * static_cast<double>(K) * static_cast<double>(N);
  if (threads <= 1 || flops < kMinParallelWork) {
    dense_tile(x, ldx, packed, bias, y, K, N, 0, M, 0, N, lo, hi);
    return;
  }
  if (M >= 16 * threads) {  // split rows: blocks of a multiple of 8 rows, a few per thread
    size_t rows = std::max<size_t>(16, ((M + 4 * threads - 1) / (4 * threads) + 7) / 8 * 8);
    size_t blocks = (M + rows - 1) / rows;
    threadpool::parallel_for(blocks, 1, [&](size_t b, size_t e) {
      for (size_t t = b; t < e; ++t)
        dense_tile(x + t * rows * ldx, ldx, packed, bias, y, K, N, t * rows, std::min(M, (t + 1) * rows), 0, N, lo,
                   hi);
    });
  } else {  // few rows (a classifier head): split columns in multiples of 32
    size_t cols = std::max<size_t>(32, ((N + 2 * threads - 1) / (2 * threads) + 31) / 32 * 32);
    size_t blocks = (N + cols - 1) / cols;
    threadpool::parallel_for(blocks, 1, [&](size_t b, size_t e) {
      for (size_t t = b; t < e; ++t)
        dense_tile(x, ldx, packed, bias, y, K, N, 0, M, t * cols, std::min(N, (t + 1) * cols), lo, hi);
    });
  }
}

size_t conv_scratch_floats(const ConvShape& s, size_t threads) {
  if (s.pointwise()) return 0;
  return std::max<size_t>(threads, 1) * kConvRowBlock * s.kh * s.kw * s.cin;
}

void conv_nhwc(const ConvShape& s, const float* x, const float* packed, const float* bias, float* y, float* scratch,
               float lo, float hi) {
  const size_t M = s.batch * s.oh * s.ow, K = s.kh * s.kw * s.cin, N = s.cout;
  if (s.pointwise()) {
    dense(x, s.cin, packed, bias, y, M, K, N, lo, hi);
    return;
  }
  // Waves of one row block per worker; block i of a wave uses scratch slot i.
  const size_t threads = std::max<size_t>(threadpool::num_threads(), 1);
  const size_t blocks = (M + kConvRowBlock - 1) / kConvRowBlock;
  const double flops = 2.0 * static_cast<double>(M) * static_cast<double>(K) * static_cast<double>(N);
  const size_t width = flops < kMinParallelWork ? 1 : threads;
  for (size_t w0 = 0; w0 < blocks; w0 += width) {
    const size_t n = std::min(width, blocks - w0);
    threadpool::parallel_for(n, 1, [&](size_t b, size_t e) {
      for (size_t i = b; i < e; ++i) {
        const size_t r0 = (w0 + i) * kConvRowBlock, r1 = std::min(M, r0 + kConvRowBlock);
        float* col = scratch + i * kConvRowBlock * K;
        im2col_rows(s, x, col, r0, r1);
        dense_tile(col, K, packed, bias, y, K, N, r0, r1, 0, N, lo, hi);
      }
    });
  }
}

}  // namespace cpu
}  // namespace ember
