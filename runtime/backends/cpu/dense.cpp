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

// Row blocks handed to workers are multiples of this: whole 6-row (AVX2) and 8-row (AVX-512)
// micro-tiles, so no block ends in a ragged, slow tile.
constexpr size_t kRowAlign = 24;
// Below this many rows per worker, dense() and conv_nhwc() split columns instead of rows.
constexpr size_t kMinRowsPerThread = 64;
// Hands the GEMM the prepacked panels of columns [n0, ...): panel p of the sub-problem is
// packed panel (n0 / width + p).
struct PackedB {
  const float* packed;
  size_t K;
  size_t n0;
};

const float* resident_panel(void* ctx, int64_t pc, int64_t jr, int width, int64_t* ld) {
  const PackedB& b = *static_cast<const PackedB*>(ctx);
  const size_t w = static_cast<size_t>(width);
  *ld = width;
  return b.packed + ((b.n0 + static_cast<size_t>(jr)) / w) * b.K * w + static_cast<size_t>(pc) * w;
}

const float* packed_panel(void* ctx, int64_t pc, int64_t, int64_t jr, int64_t, int width, float*,
                          int64_t* ld) {
  return resident_panel(ctx, pc, jr, width, ld);
}

// One tile of dense(): rows [m0, m1), columns [n0, n1) of y (row stride ldy); x_m0 points at
// row m0 of x. n0 is a multiple of the panel width. residual (row stride N, or null) is added
// before the clamp.
void dense_tile(const float* x_m0, size_t ldx, const float* packed, const float* bias, float* y,
                size_t ldy, size_t K, size_t N, size_t m0, size_t m1, size_t n0, size_t n1,
                const float* residual, float lo, float hi, bool hardswish = false,
                bool gelu = false, size_t x_cs = 1) {
  PackedB b{packed, K, n0};
  const kernels::gemm_f32::Epilogue ep{bias ? bias + n0 : nullptr,
                                       residual ? residual + m0 * N + n0 : nullptr,
                                       static_cast<int64_t>(N),
                                       lo,
                                       hi,
                                       hardswish,
                                       gelu};
  kernels::gemm_f32::active().driver_epilogue(
      static_cast<int64_t>(m1 - m0), static_cast<int64_t>(n1 - n0), static_cast<int64_t>(K), x_m0,
      static_cast<int64_t>(ldx), static_cast<int64_t>(x_cs),
      kernels::gemm_f32::PanelFn{&packed_panel, &b, &resident_panel}, y + m0 * ldy + n0,
      static_cast<int64_t>(ldy), ep);
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
  if (xnn_create_fully_connected_nc_f32(K, N, K, N, w.data(), b.data(), -INFINITY, INFINITY, 0,
                                        &op) != xnn_status_success ||
      xnn_setup_fully_connected_nc_f32(op, M, x.data(), y.data(), nullptr) != xnn_status_success) {
    if (op) xnn_delete_operator(op);
    return true;
  }
  std::vector<double> t_xnn, t_own;
  for (int rep = 0; rep < 4; ++rep) {
    uint64_t s = platform::now_ns();
    xnn_run_operator(op, nullptr);
    uint64_t m = platform::now_ns();
    dense_tile(x.data(), K, wt.data(), b.data(), y.data(), N, K, N, 0, M, 0, N, nullptr, -INFINITY,
               INFINITY);
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

// Column shares are multiples of the active GEMM path's panel width (16 with AVX2, 32 with
// AVX-512), so a share never splits a prepacked panel; a fixed 32 split mobilenet's N = 160
// layers 96 + 64 across two workers.
size_t column_share() {
  return static_cast<size_t>(kernels::gemm_f32::active().panel_width);
}

bool switched_on(const char* name) {
  const char* e = getenv(name);
  return e == nullptr || strcmp(e, "0") != 0;
}

size_t packed_weight_floats(size_t K, size_t N) {
  const size_t w = static_cast<size_t>(kernels::gemm_f32::active().panel_width);
  return (N + w - 1) / w * w * K;
}

void pack_weights(const float* wt_nk, size_t N, size_t K, float* packed) {
  pack_weights_strided(wt_nk, N, K, static_cast<ptrdiff_t>(K), 1, packed);
}

void pack_weights_strided(const float* w_nk, size_t N, size_t K, ptrdiff_t n_stride,
                          ptrdiff_t k_stride, float* packed) {
  const size_t w = static_cast<size_t>(kernels::gemm_f32::active().panel_width);
  const size_t panels = (N + w - 1) / w;
  // Zero the padding columns of the last panel first; the loops below write only real columns.
  if (N % w != 0)
    for (size_t k = 0; k < K; ++k)
      for (size_t j = N % w; j < w; ++j) packed[(panels - 1) * K * w + k * w + j] = 0.0f;
  // Attention packs k^T and v straight out of a projection whose rows lie far apart (vit's
  // packed qkv: 9 KB): read each source row whole, in order, with the rows a few ahead
  // prefetched, instead of one panel's slice of every row per pass (each a cache miss).
  constexpr size_t kAhead = 4;
  auto prefetch_row = [](const float* row, size_t n) {
    for (size_t i = 0; i < n; i += 64 / sizeof(float)) __builtin_prefetch(row + i, 0, 3);
  };
  if (n_stride == 1) {
    // Source rows run along N (v as the weights of scores @ v): row k fills row k of every panel.
    for (size_t k = 0; k < K; ++k) {
      const float* row = w_nk + static_cast<ptrdiff_t>(k) * k_stride;
      if (k + kAhead < K) prefetch_row(row + static_cast<ptrdiff_t>(kAhead) * k_stride, N);
      for (size_t p = 0; p < panels; ++p) {
        const size_t cols = std::min(w, N - p * w);
        float* dst = packed + p * K * w + k * w;
        for (size_t j = 0; j < cols; ++j) dst[j] = row[p * w + j];
      }
    }
    return;
  }
  if (k_stride == 1) {
    // Source rows run along K (k as the weights of q @ k^T): row n fills column n % w of its
    // panel.
    for (size_t n = 0; n < N; ++n) {
      const float* row = w_nk + static_cast<ptrdiff_t>(n) * n_stride;
      if (n + kAhead < N) prefetch_row(row + static_cast<ptrdiff_t>(kAhead) * n_stride, K);
      float* dst = packed + (n / w) * K * w + n % w;
      for (size_t k = 0; k < K; ++k) dst[k * w] = row[k];
    }
    return;
  }
  for (size_t p = 0; p < panels; ++p) {
    float* panel = packed + p * K * w;
    const size_t cols = std::min(w, N - p * w);
    const float* src = w_nk + static_cast<ptrdiff_t>(p * w) * n_stride;
    for (size_t k = 0; k < K; ++k) {
      const float* sk = src + static_cast<ptrdiff_t>(k) * k_stride;
      float* dst = panel + k * w;
      for (size_t j = 0; j < cols; ++j) dst[j] = sk[static_cast<ptrdiff_t>(j) * n_stride];
    }
  }
}

void dense_product(const float* x, size_t ldx, const float* packed, float* y, size_t ldy, size_t M,
                   size_t K, size_t N, size_t x_cs) {
  dense_tile(x, ldx, packed, nullptr, y, ldy, K, N, 0, M, 0, N, nullptr, -INFINITY, INFINITY, false,
             false, x_cs);
}

void dense_product_cols(const float* x, size_t ldx, const float* packed, float* y, size_t ldy,
                        size_t M, size_t K, size_t N, size_t n0, size_t n1) {
  dense_tile(x, ldx, packed, nullptr, y, ldy, K, N, 0, M, n0, n1, nullptr, -INFINITY, INFINITY);
}

bool prefer_own_gemm() {
  static const bool own = calibrate();
  return own;
}

void dense(const float* x, size_t ldx, const float* packed, const float* bias, float* y, size_t M,
           size_t K, size_t N, const float* residual, float lo, float hi, bool hardswish,
           bool gelu) {
  const size_t threads = threadpool::num_threads();
  const double flops =
      2.0 * static_cast<double>(M) * static_cast<double>(K) * static_cast<double>(N);
  if (threads <= 1 || flops < kMinParallelWork) {
    dense_tile(x, ldx, packed, bias, y, N, K, N, 0, M, 0, N, residual, lo, hi, hardswish, gelu);
    return;
  }
  // Every row block streams all of W, every column share all of x: split columns when the
  // weights outweigh the activations (N > M: transformer linears, late convolution stages) or
  // there are too few rows to share out, so each worker reads only its part of W.
  const size_t cb = column_share();
  const bool split_cols = N >= cb * threads && (N > M || M < kMinRowsPerThread * threads);
  if (!split_cols) {
    // Rows: blocks of whole micro-tiles, a few per thread so a slow worker is caught up with.
    const size_t rows = std::max(
        kRowAlign, ((M + 4 * threads - 1) / (4 * threads) + kRowAlign - 1) / kRowAlign * kRowAlign);
    const size_t blocks = (M + rows - 1) / rows;
    threadpool::parallel_for(blocks, 1, [&](size_t b, size_t e) {
      for (size_t t = b; t < e; ++t)
        dense_tile(x + t * rows * ldx, ldx, packed, bias, y, N, K, N, t * rows,
                   std::min(M, (t + 1) * rows), 0, N, residual, lo, hi, hardswish, gelu);
    });
  } else {
    // Columns: whole panels, a few shares per worker so a slow worker is caught up with (each
    // share reads all of x, which is small next to W here).
    const size_t cols = std::max(cb, ((N + 4 * threads - 1) / (4 * threads) + cb - 1) / cb * cb);
    const size_t blocks = (N + cols - 1) / cols;
    threadpool::parallel_for(blocks, 1, [&](size_t b, size_t e) {
      for (size_t t = b; t < e; ++t)
        dense_tile(x, ldx, packed, bias, y, N, K, N, 0, M, t * cols, std::min(N, (t + 1) * cols),
                   residual, lo, hi, hardswish, gelu);
    });
  }
}

void dense_rows(const float* x, size_t ldx, const float* packed, const float* bias, float* y,
                size_t M, size_t K, size_t N, float lo, float hi, bool hardswish) {
  dense_tile(x, ldx, packed, bias, y, N, K, N, 0, M, 0, N, nullptr, lo, hi, hardswish);
}

WindowShape window_shape(const ConvShape& s) {
  return WindowShape{s.batch, s.h,  s.w,  s.cin, s.oh, s.ow, s.kh,
                     s.kw,    s.sh, s.sw, s.pt,  s.pl, s.dh, s.dw};
}

size_t conv_scratch_floats(const ConvShape& s, size_t threads) {
  if (s.pointwise()) return 0;
  return std::max<size_t>(threads, 1) * kConvRowBlock * s.kh * s.kw * s.cin;
}

void conv_nhwc(const ConvShape& s, const float* x, const float* packed, const float* bias, float* y,
               float* scratch, size_t scratch_floats, const float* residual, float lo, float hi,
               bool hardswish) {
  const size_t M = s.batch * s.oh * s.ow, K = s.kh * s.kw * s.cin, N = s.cout;
  if (s.pointwise()) {
    dense(x, s.cin, packed, bias, y, M, K, N, residual, lo, hi, hardswish);
    return;
  }
  const WindowShape window = window_shape(s);
  // The scratch was sized for the thread count at load; never use more slots than it has.
  const size_t slots = scratch_floats / (kConvRowBlock * K);
  const size_t threads = std::max<size_t>(std::min(threadpool::num_threads(), slots), 1);
  const double flops =
      2.0 * static_cast<double>(M) * static_cast<double>(K) * static_cast<double>(N);
  const bool parallel = threads > 1 && flops >= kMinParallelWork;
  if (parallel && M < kMinRowsPerThread * threads && N >= column_share() * threads &&
      M * K <= scratch_floats) {
    // Few output pixels: gather them all once (they fit the scratch, see conv_scratch_floats)
    // and let dense() split the columns.
    kernels().im2col_rows(window, x, scratch, 0, M);
    dense(scratch, K, packed, bias, y, M, K, N, residual, lo, hi, hardswish);
    return;
  }
  // Items of whole micro-tiles, a few per worker, each gathered into a scratch slot claimed for
  // the item: a worker slowed down (a loaded host) takes fewer items instead of holding up the
  // convolution. Items keep at least 48 rows so each pass over the weights does enough work.
  const size_t target = parallel ? 4 * threads : 1;
  const size_t per_item = std::min(
      kConvRowBlock,
      std::max(2 * kRowAlign, ((M + target - 1) / target + kRowAlign - 1) / kRowAlign * kRowAlign));
  const size_t items = (M + per_item - 1) / per_item;
  threadpool::SlotPool slot_pool(slots);
  threadpool::parallel_for(items, 1, [&](size_t b, size_t e) {
    for (size_t t = b; t < e; ++t) {
      const size_t slot = slot_pool.acquire();
      float* col = scratch + slot * kConvRowBlock * K;
      const size_t r0 = t * per_item, r1 = std::min(M, r0 + per_item);
      kernels().im2col_rows(window, x, col, r0, r1);
      dense_tile(col, K, packed, bias, y, N, K, N, r0, r1, 0, N, residual, lo, hi, hardswish);
      slot_pool.release(slot);
    }
  });
}

}  // namespace cpu
}  // namespace ember
