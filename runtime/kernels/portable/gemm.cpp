// Blocked GEMM: K is split into blocks of kKC, M into blocks of kMC, N into panels of NR
// columns; a register-tiled micro-kernel computes an R x NR tile (R <= MR) whose accumulators stay
// in registers while it streams over the K block. B panels with unit column stride are read in
// place; other panels (transposed B, the ragged last panel) are packed into a stack buffer.
#include "runtime/kernels/portable/gemm.h"

#include <cstring>

namespace ember {
namespace kernels {

namespace {

constexpr int kMR = 6;
constexpr int kNR = 8;
constexpr int64_t kKC = 256;
constexpr int64_t kMC = 72;  // multiple of kMR

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
                         int64_t ldb, T* c, int64_t ldc, int64_t nr, T alpha, bool overwrite) {
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
  if (nr == kNR) {
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
      for (int64_t j = 0; j < nr; ++j) ci[j] = (overwrite ? T(0) : ci[j]) + alpha * tmp[j];
    }
  }
}

template <typename T>
inline void micro_dispatch(int r, int64_t kc, const T* a, int64_t a_rs, int64_t a_cs, const T* b,
                           int64_t ldb, T* c, int64_t ldc, int64_t nr, T alpha, bool overwrite) {
  switch (r) {
    case 6:
      micro_kernel<T, 6>(kc, a, a_rs, a_cs, b, ldb, c, ldc, nr, alpha, overwrite);
      break;
    case 5:
      micro_kernel<T, 5>(kc, a, a_rs, a_cs, b, ldb, c, ldc, nr, alpha, overwrite);
      break;
    case 4:
      micro_kernel<T, 4>(kc, a, a_rs, a_cs, b, ldb, c, ldc, nr, alpha, overwrite);
      break;
    case 3:
      micro_kernel<T, 3>(kc, a, a_rs, a_cs, b, ldb, c, ldc, nr, alpha, overwrite);
      break;
    case 2:
      micro_kernel<T, 2>(kc, a, a_rs, a_cs, b, ldb, c, ldc, nr, alpha, overwrite);
      break;
    default:
      micro_kernel<T, 1>(kc, a, a_rs, a_cs, b, ldb, c, ldc, nr, alpha, overwrite);
      break;
  }
}

// Dot-product path for few rows of A against a transposed B (B(k, j) = B[k + j * b_cs]): each
// output is a dot product of two contiguous vectors, computed four columns at a time with
// two vectors of independent partial sums per column.
template <typename T>
void gemm_dot(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_rs, const T* B, int64_t b_cs,
              T* C, int64_t ldc, T alpha, bool accumulate) {
  using V = typename Vec16<T>::type;
  constexpr int L = Vec16<T>::kLanes;
  constexpr int kStep = 2 * L;
  constexpr int kCols = 4;
  for (int64_t i = 0; i < M; ++i) {
    const T* a = A + i * a_rs;
    T* c = C + i * ldc;
    int64_t j = 0;
    for (; j < N; j += kCols) {
      const int cols = static_cast<int>(min64(kCols, N - j));
      const T* b[kCols];
      for (int q = 0; q < kCols; ++q) b[q] = B + (j + (q < cols ? q : 0)) * b_cs;
      V acc[kCols][2];
      for (int q = 0; q < kCols; ++q) acc[q][0] = acc[q][1] = V{};
      int64_t k = 0;
      for (; k + kStep <= K; k += kStep) {
        const V a0 = load_vec(a + k), a1 = load_vec(a + k + L);
        for (int q = 0; q < kCols; ++q) {
          acc[q][0] += a0 * load_vec(b[q] + k);
          acc[q][1] += a1 * load_vec(b[q] + k + L);
        }
      }
      for (int q = 0; q < cols; ++q) {
        T lanes[L];
        const V sum = acc[q][0] + acc[q][1];
        memcpy(lanes, &sum, sizeof(lanes));
        T s = T(0);
        for (int l = 0; l < L; ++l) s += lanes[l];
        for (int64_t kk = k; kk < K; ++kk) s += a[kk] * b[q][kk];
        c[j + q] = (accumulate ? c[j + q] : T(0)) + alpha * s;
      }
    }
  }
}

}  // namespace

template <typename T>
void gemm(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_rs, int64_t a_cs, const T* B,
          int64_t b_rs, int64_t b_cs, T* C, int64_t ldc, T alpha, bool accumulate) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate)
      for (int64_t i = 0; i < M; ++i)
        for (int64_t j = 0; j < N; ++j) C[i * ldc + j] = T(0);
    return;
  }
  if (M <= 2 && b_rs == 1 && a_cs == 1) {
    gemm_dot<T>(M, N, K, A, a_rs, B, b_cs, C, ldc, alpha, accumulate);
    return;
  }
  alignas(64) T bpack[kKC * kNR];
  for (int64_t pc = 0; pc < K; pc += kKC) {
    const int64_t kc = min64(kKC, K - pc);
    const bool overwrite = !accumulate && pc == 0;
    for (int64_t ic = 0; ic < M; ic += kMC) {
      const int64_t mc = min64(kMC, M - ic);
      for (int64_t jr = 0; jr < N; jr += kNR) {
        const int64_t nr = min64(kNR, N - jr);
        const T* bp;
        int64_t ldbp;
        if (b_cs == 1 && nr == kNR) {
          bp = B + pc * b_rs + jr;
          ldbp = b_rs;
        } else {
          for (int64_t j = 0; j < kNR; ++j) {
            if (j < nr) {
              const T* src = B + pc * b_rs + (jr + j) * b_cs;
              for (int64_t k = 0; k < kc; ++k) bpack[k * kNR + j] = src[k * b_rs];
            } else {
              for (int64_t k = 0; k < kc; ++k) bpack[k * kNR + j] = T(0);
            }
          }
          bp = bpack;
          ldbp = kNR;
        }
        for (int64_t ir = 0; ir < mc; ir += kMR) {
          const int r = static_cast<int>(min64(kMR, mc - ir));
          micro_dispatch<T>(r, kc, A + (ic + ir) * a_rs + pc * a_cs, a_rs, a_cs, bp, ldbp,
                            C + (ic + ir) * ldc + jr, ldc, nr, alpha, overwrite);
        }
      }
    }
  }
}

template void gemm<float>(int64_t, int64_t, int64_t, const float*, int64_t, int64_t, const float*,
                          int64_t, int64_t, float*, int64_t, float, bool);
template void gemm<double>(int64_t, int64_t, int64_t, const double*, int64_t, int64_t,
                           const double*, int64_t, int64_t, double*, int64_t, double, bool);
template void gemm<int64_t>(int64_t, int64_t, int64_t, const int64_t*, int64_t, int64_t,
                            const int64_t*, int64_t, int64_t, int64_t*, int64_t, int64_t, bool);
template void gemm<int32_t>(int64_t, int64_t, int64_t, const int32_t*, int64_t, int64_t,
                            const int32_t*, int64_t, int64_t, int32_t*, int64_t, int32_t, bool);

}  // namespace kernels
}  // namespace ember
