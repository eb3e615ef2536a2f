// A cache-blocked, single-threaded GEMM shared by the matmul-family and convolution kernels.
//
// gemm() computes C[M,N] = alpha * A[M,K] * B[K,N] + (accumulate ? C : 0), where the matrices
// are given by element strides:
//   A(i, k) = A[i * a_rs + k * a_cs]
//   B(k, j) = B[k * b_rs + j * b_cs]
//   C(i, j) = C[i * c_rs + j * c_cs]   (c_cs == 1 is the fast case)
//
// Blocking (generic path): M is split into blocks of kMC rows, K into blocks of kKC, N into
// panels of kNR columns; a register-tiled micro-kernel computes an R x kNR tile (R <= kMR) whose accumulators
// stay in registers while it streams over the K block. B panels with unit column stride are read
// in place; any other panel (transposed B, the ragged last panel) is packed into a small stack
// buffer. gemm_driver() takes a custom panel provider instead of a strided B (the convolution
// kernel uses it to build im2col panels on the fly). No heap memory is used. When K == 0, C
// becomes 0 (or is left unchanged if accumulating). gemm() is instantiated for float, double,
// int64_t and int32_t.
//
// float32 is forwarded to a path chosen at run time by CPU features (AVX2+FMA / AVX-512 micro-
// kernels with wider tiles, see gemm_f32.h); the templates below are the generic path, used for
// the other types, other CPUs and when EMBER_PORTABLE_ISA=generic.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>

#include "runtime/kernels/portable/gemm_f32.h"

namespace ember {
namespace kernels {

template <typename T>
void gemm(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_rs, int64_t a_cs, const T* B,
          int64_t b_rs, int64_t b_cs, T* C, int64_t c_rs, int64_t c_cs, T alpha, bool accumulate);

// The generic (baseline ISA) implementation of gemm(), whatever the type.
template <typename T>
void gemm_generic(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_rs, int64_t a_cs,
                  const T* B, int64_t b_rs, int64_t b_cs, T* C, int64_t c_rs, int64_t c_cs,
                  T alpha, bool accumulate);

// Row-major convenience form: A is [M,K] (lda), B is [K,N] (ldb) or, when trans_b, [N,K] (ldb).
template <typename T>
inline void gemm_rm(int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, const T* B,
                    int64_t ldb, bool trans_b, T* C, int64_t ldc, T alpha, bool accumulate) {
  if (trans_b) {
    gemm<T>(M, N, K, A, lda, 1, B, 1, ldb, C, ldc, 1, alpha, accumulate);
  } else {
    gemm<T>(M, N, K, A, lda, 1, B, ldb, 1, C, ldc, 1, alpha, accumulate);
  }
}

#define EMBER_GEMM_DECLARE(T)                                                                   \
  extern template void gemm<T>(int64_t, int64_t, int64_t, const T*, int64_t, int64_t, const T*, \
                               int64_t, int64_t, T*, int64_t, int64_t, T, bool)
EMBER_GEMM_DECLARE(float);
EMBER_GEMM_DECLARE(double);
EMBER_GEMM_DECLARE(int64_t);
EMBER_GEMM_DECLARE(int32_t);
#undef EMBER_GEMM_DECLARE
extern template void gemm_generic<float>(int64_t, int64_t, int64_t, const float*, int64_t,
                                         int64_t, const float*, int64_t, int64_t, float*,
                                         int64_t, int64_t, float, bool);

namespace gemm_detail {

constexpr int kMR = 6;
constexpr int kNR = 8;
constexpr int64_t kKC = 384;
constexpr int64_t kMC = 192;  // multiple of kMR
static_assert(kNR == gemm_f32::kPanelNR && kKC == gemm_f32::kPanelKC,
              "the float32 ISA paths exchange panels and tiles of this shape");

inline int64_t min64(int64_t a, int64_t b) {
  return a < b ? a : b;
}

// Computes an R x kNR tile over kc steps of k. `b` holds kNR valid columns per row (row stride
// ldb); only the first `nr` columns are stored to C. The accumulators are 16-byte vectors
// (GCC/Clang vector extensions; SSE2/NEON or scalar code on other targets) so they stay in
// registers: 6 x 8 floats use 12 of the 16 xmm registers.
template <typename T>
struct Vec16 {
  typedef T type __attribute__((vector_size(16)));
  static constexpr int kLanes = static_cast<int>(16 / sizeof(T));
};

template <typename T>
inline typename Vec16<T>::type load_vec(const T* p) {
  typename Vec16<T>::type v;
  memcpy(&v, p, sizeof(v));
  return v;
}
template <typename T>
inline void store_vec(T* p, typename Vec16<T>::type v) {
  memcpy(p, &v, sizeof(v));
}

template <typename T, int R>
inline void micro_kernel(int64_t kc, const T* a, int64_t a_rs, int64_t a_cs, const T* b,
                         int64_t ldb, T* c, int64_t ldc, int64_t c_cs, int64_t nr, T alpha,
                         bool overwrite) {
  using V = typename Vec16<T>::type;
  constexpr int L = Vec16<T>::kLanes;
  constexpr int NV = kNR / L;
  static_assert(NV * L == kNR, "kNR must be a multiple of the vector width");
  V acc[R][NV];
  for (int i = 0; i < R; ++i)
    for (int v = 0; v < NV; ++v) acc[i][v] = V{};
  const T* arow[R];
  for (int i = 0; i < R; ++i) arow[i] = a + i * a_rs;
  if (a_cs == 1) {
    for (int64_t k = 0; k < kc; ++k) {
      const T* bk = b + k * ldb;
      V bv[NV];
      for (int v = 0; v < NV; ++v) bv[v] = load_vec(bk + v * L);
      for (int i = 0; i < R; ++i) {
        const T av = arow[i][k];
        for (int v = 0; v < NV; ++v) acc[i][v] += av * bv[v];
      }
    }
  } else {
    for (int64_t k = 0; k < kc; ++k) {
      const T* bk = b + k * ldb;
      V bv[NV];
      for (int v = 0; v < NV; ++v) bv[v] = load_vec(bk + v * L);
      for (int i = 0; i < R; ++i) {
        const T av = arow[i][k * a_cs];
        for (int v = 0; v < NV; ++v) acc[i][v] += av * bv[v];
      }
    }
  }
  if (nr == kNR && c_cs == 1) {
    for (int i = 0; i < R; ++i) {
      T* ci = c + i * ldc;
      for (int v = 0; v < NV; ++v) {
        V r = alpha * acc[i][v];
        if (!overwrite) r += load_vec(ci + v * L);
        store_vec(ci + v * L, r);
      }
    }
  } else {
    for (int i = 0; i < R; ++i) {
      T tmp[kNR];
      memcpy(tmp, acc[i], sizeof(tmp));
      T* ci = c + i * ldc;
      for (int64_t j = 0; j < nr; ++j)
        ci[j * c_cs] = (overwrite ? T(0) : ci[j * c_cs]) + alpha * tmp[j];
    }
  }
}

template <typename T>
inline void micro_dispatch(int r, int64_t kc, const T* a, int64_t a_rs, int64_t a_cs, const T* b,
                           int64_t ldb, T* c, int64_t ldc, int64_t c_cs, int64_t nr, T alpha,
                           bool overwrite) {
  switch (r) {
    case 6:
      micro_kernel<T, 6>(kc, a, a_rs, a_cs, b, ldb, c, ldc, c_cs, nr, alpha, overwrite);
      break;
    case 5:
      micro_kernel<T, 5>(kc, a, a_rs, a_cs, b, ldb, c, ldc, c_cs, nr, alpha, overwrite);
      break;
    case 4:
      micro_kernel<T, 4>(kc, a, a_rs, a_cs, b, ldb, c, ldc, c_cs, nr, alpha, overwrite);
      break;
    case 3:
      micro_kernel<T, 3>(kc, a, a_rs, a_cs, b, ldb, c, ldc, c_cs, nr, alpha, overwrite);
      break;
    case 2:
      micro_kernel<T, 2>(kc, a, a_rs, a_cs, b, ldb, c, ldc, c_cs, nr, alpha, overwrite);
      break;
    default:
      micro_kernel<T, 1>(kc, a, a_rs, a_cs, b, ldb, c, ldc, c_cs, nr, alpha, overwrite);
      break;
  }
}

// The generic gemm_driver (see below).
template <typename T, typename Panel>
void gemm_driver_generic(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_rs, int64_t a_cs,
                         Panel&& panel, T* C, int64_t c_rs, int64_t c_cs, T alpha,
                         bool accumulate) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate)
      for (int64_t i = 0; i < M; ++i)
        for (int64_t j = 0; j < N; ++j) C[i * c_rs + j * c_cs] = T(0);
    return;
  }
  alignas(64) T bpack[kKC * kNR];
  for (int64_t ic = 0; ic < M; ic += kMC) {
    const int64_t mc = min64(kMC, M - ic);
    for (int64_t pc = 0; pc < K; pc += kKC) {
      const int64_t kc = min64(kKC, K - pc);
      const bool overwrite = !accumulate && pc == 0;
      for (int64_t jr = 0; jr < N; jr += kNR) {
        const int64_t nr = min64(kNR, N - jr);
        int64_t ldb = kNR;
        const T* bp = panel(pc, kc, jr, nr, kNR, bpack, &ldb);
        for (int64_t ir = 0; ir < mc; ir += kMR) {
          const int r = static_cast<int>(min64(kMR, mc - ir));
          micro_dispatch<T>(r, kc, A + (ic + ir) * a_rs + pc * a_cs, a_rs, a_cs, bp, ldb,
                            C + (ic + ir) * c_rs + jr * c_cs, c_rs, c_cs, nr, alpha, overwrite);
        }
      }
    }
  }
}

// The generic gemm_driver_tiles (see below).
template <typename T, typename Panel, typename Store>
void gemm_driver_tiles_generic(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_rs,
                               int64_t a_cs, Panel&& panel, Store&& store) {
  if (M <= 0 || N <= 0 || K <= 0) return;
  alignas(64) T bpack[kKC * kNR];
  alignas(64) T tile[kMR * kNR];
  for (int64_t ic = 0; ic < M; ic += kMC) {
    const int64_t mc = min64(kMC, M - ic);
    for (int64_t pc = 0; pc < K; pc += kKC) {
      const int64_t kc = min64(kKC, K - pc);
      for (int64_t jr = 0; jr < N; jr += kNR) {
        const int64_t nr = min64(kNR, N - jr);
        int64_t ldb = kNR;
        const T* bp = panel(pc, kc, jr, nr, kNR, bpack, &ldb);
        for (int64_t ir = 0; ir < mc; ir += kMR) {
          const int r = static_cast<int>(min64(kMR, mc - ir));
          micro_dispatch<T>(r, kc, A + (ic + ir) * a_rs + pc * a_cs, a_rs, a_cs, bp, ldb, tile, kNR,
                            1, kNR, T(1), true);
          store(ic + ir, r, jr, nr, static_cast<const T*>(tile));
        }
      }
    }
  }
}

// Type erasure of the callbacks for the float32 ISA paths (gemm_f32.h).
template <typename F>
void* erase(F& f) {
  return const_cast<void*>(static_cast<const void*>(std::addressof(f)));
}
template <typename Panel>
const float* panel_thunk(void* ctx, int64_t pc, int64_t kc, int64_t jr, int64_t nr, int width,
                         float* buf, int64_t* ld) {
  return (*static_cast<Panel*>(ctx))(pc, kc, jr, nr, width, buf, ld);
}
template <typename Store>
void store_thunk(void* ctx, int64_t i0, int r, int64_t j0, int64_t nr, const float* tile) {
  (*static_cast<Store*>(ctx))(i0, r, j0, nr, tile);
}

}  // namespace gemm_detail

// The blocked GEMM over a custom B. `panel(pc, kc, jr, nr, width, buf, &ld)` returns a pointer
// to the kc x width block B(pc:pc+kc, jr:jr+width) with row stride ld: either B itself (only
// when nr == width) or `buf` (kc * width elements), filled with the block and zero-padded beyond
// column nr. The width is kNR on the generic path and up to gemm_f32::kMaxPanelNR on the float32
// ISA paths; the provider may be called with any kc <= kKC and any pc, in any order.
template <typename T, typename Panel>
void gemm_driver(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_rs, int64_t a_cs,
                 Panel&& panel, T* C, int64_t c_rs, int64_t c_cs, T alpha, bool accumulate) {
  if constexpr (std::is_same<T, float>::value) {
    using P = std::remove_reference_t<Panel>;
    const gemm_f32::PanelFn fn{&gemm_detail::panel_thunk<P>, gemm_detail::erase(panel)};
    gemm_f32::active().driver(M, N, K, A, a_rs, a_cs, fn, C, c_rs, c_cs, alpha, accumulate);
  } else {
    gemm_detail::gemm_driver_generic<T>(M, N, K, A, a_rs, a_cs, panel, C, c_rs, c_cs, alpha,
                                        accumulate);
  }
}

// Like gemm_driver, but without a C matrix: each computed tile, the partial product of one K
// block, A(i0:i0+r, kblock) @ B(kblock, j0:j0+kNR), is handed to store(i0, r, j0, nr, tile) as a
// row-major r x kNR array (only the first nr columns are meaningful). The caller accumulates the
// partial tiles wherever they belong (e.g. a col2im scatter for transposed convolution). Tiles
// come in no particular order and K blocks may have any size <= kKC.
template <typename T, typename Panel, typename Store>
void gemm_driver_tiles(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_rs, int64_t a_cs,
                       Panel&& panel, Store&& store) {
  if constexpr (std::is_same<T, float>::value) {
    using P = std::remove_reference_t<Panel>;
    using S = std::remove_reference_t<Store>;
    const gemm_f32::PanelFn pf{&gemm_detail::panel_thunk<P>, gemm_detail::erase(panel)};
    const gemm_f32::TileFn tf{&gemm_detail::store_thunk<S>, gemm_detail::erase(store)};
    gemm_f32::active().driver_tiles(M, N, K, A, a_rs, a_cs, pf, tf);
  } else {
    gemm_detail::gemm_driver_tiles_generic<T>(M, N, K, A, a_rs, a_cs, panel, store);
  }
}

}  // namespace kernels
}  // namespace ember
