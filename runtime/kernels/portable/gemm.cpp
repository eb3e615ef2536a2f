// gemm(): float32 goes to the ISA path chosen at run time (gemm_f32.h); gemm_generic() is the
// strided-B front end of gemm_driver_generic (see gemm.h), plus a dot-product path for
// matrix-vector-like shapes with a transposed B.
#include "runtime/kernels/portable/gemm.h"

#include <cstring>
#include <type_traits>

namespace ember {
namespace kernels {

namespace {

using gemm_detail::load_vec;
using gemm_detail::min64;
using gemm_detail::Vec16;

// Dot-product path for few rows of A against a transposed B (B(k, j) = B[k + j * b_cs]): each
// output is a dot product of two contiguous vectors, computed four columns at a time with
// two vectors of independent partial sums per column.
template <typename T>
void gemm_dot(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_rs, const T* B, int64_t b_cs,
              T* C, int64_t ldc, int64_t c_cs, T alpha, bool accumulate) {
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
        T& dst = c[(j + q) * c_cs];
        dst = (accumulate ? dst : T(0)) + alpha * s;
      }
    }
  }
}

}  // namespace

template <typename T>
void gemm_generic(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_rs, int64_t a_cs,
                  const T* B, int64_t b_rs, int64_t b_cs, T* C, int64_t c_rs, int64_t c_cs,
                  T alpha, bool accumulate) {
  if (M <= 0 || N <= 0) return;
  if (K > 0 && M <= 2 && b_rs == 1 && a_cs == 1) {
    gemm_dot<T>(M, N, K, A, a_rs, B, b_cs, C, c_rs, c_cs, alpha, accumulate);
    return;
  }
  auto panel = [&](int64_t pc, int64_t kc, int64_t jr, int64_t nr, int width, T* buf,
                   int64_t* ld) {
    if (b_cs == 1 && nr == width) {
      *ld = b_rs;
      return B + pc * b_rs + jr;
    }
    for (int64_t j = 0; j < width; ++j) {
      if (j < nr) {
        const T* src = B + pc * b_rs + (jr + j) * b_cs;
        for (int64_t k = 0; k < kc; ++k) buf[k * width + j] = src[k * b_rs];
      } else {
        for (int64_t k = 0; k < kc; ++k) buf[k * width + j] = T(0);
      }
    }
    *ld = width;
    return static_cast<const T*>(buf);
  };
  gemm_detail::gemm_driver_generic<T>(M, N, K, A, a_rs, a_cs, panel, C, c_rs, c_cs, alpha,
                                      accumulate);
}

template <typename T>
void gemm(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_rs, int64_t a_cs, const T* B,
          int64_t b_rs, int64_t b_cs, T* C, int64_t c_rs, int64_t c_cs, T alpha, bool accumulate) {
  if constexpr (std::is_same<T, float>::value) {
    gemm_f32::active().gemm(M, N, K, A, a_rs, a_cs, B, b_rs, b_cs, C, c_rs, c_cs, alpha,
                            accumulate);
  } else {
    gemm_generic<T>(M, N, K, A, a_rs, a_cs, B, b_rs, b_cs, C, c_rs, c_cs, alpha, accumulate);
  }
}

#define EMBER_GEMM_INSTANTIATE(T)                                                                 \
  template void gemm<T>(int64_t, int64_t, int64_t, const T*, int64_t, int64_t, const T*, int64_t, \
                        int64_t, T*, int64_t, int64_t, T, bool);                                  \
  template void gemm_generic<T>(int64_t, int64_t, int64_t, const T*, int64_t, int64_t, const T*,  \
                                int64_t, int64_t, T*, int64_t, int64_t, T, bool)
EMBER_GEMM_INSTANTIATE(float);
EMBER_GEMM_INSTANTIATE(double);
EMBER_GEMM_INSTANTIATE(int64_t);
EMBER_GEMM_INSTANTIATE(int32_t);
#undef EMBER_GEMM_INSTANTIATE

}  // namespace kernels
}  // namespace ember
