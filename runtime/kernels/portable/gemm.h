// A cache-blocked, single-threaded GEMM shared by the matmul-family and convolution kernels.
//
// Computes C[M,N] = alpha * A[M,K] * B[K,N] + (accumulate ? C : 0), where A and B are given by
// element strides:
//   A(i, k) = A[i * a_rs + k * a_cs]
//   B(k, j) = B[k * b_rs + j * b_cs]
// and C is row-major with leading dimension ldc (C(i, j) = C[i * ldc + j]).
//
// Fast paths: B with unit column stride (b_cs == 1, row-major [K,N]) is read in place; any other
// B (e.g. a transposed weight [N,K], b_rs == 1) is packed panel by panel into a small stack
// buffer. No heap memory is used. When K == 0, C becomes 0 (or is left unchanged if
// accumulating). Instantiated for float, double, int64_t and int32_t.
#pragma once

#include <cstdint>

namespace ember {
namespace kernels {

template <typename T>
void gemm(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_rs, int64_t a_cs, const T* B,
          int64_t b_rs, int64_t b_cs, T* C, int64_t ldc, T alpha, bool accumulate);

// Row-major convenience form: A is [M,K] (lda), B is [K,N] (ldb) or, when trans_b, [N,K] (ldb).
template <typename T>
inline void gemm_rm(int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, const T* B,
                    int64_t ldb, bool trans_b, T* C, int64_t ldc, T alpha, bool accumulate) {
  if (trans_b) {
    gemm<T>(M, N, K, A, lda, 1, B, 1, ldb, C, ldc, alpha, accumulate);
  } else {
    gemm<T>(M, N, K, A, lda, 1, B, ldb, 1, C, ldc, alpha, accumulate);
  }
}

extern template void gemm<float>(int64_t, int64_t, int64_t, const float*, int64_t, int64_t,
                                 const float*, int64_t, int64_t, float*, int64_t, float, bool);
extern template void gemm<double>(int64_t, int64_t, int64_t, const double*, int64_t, int64_t,
                                  const double*, int64_t, int64_t, double*, int64_t, double, bool);
extern template void gemm<int64_t>(int64_t, int64_t, int64_t, const int64_t*, int64_t, int64_t,
                                   const int64_t*, int64_t, int64_t, int64_t*, int64_t, int64_t,
                                   bool);
extern template void gemm<int32_t>(int64_t, int64_t, int64_t, const int32_t*, int64_t, int64_t,
                                   const int32_t*, int64_t, int64_t, int32_t*, int64_t, int32_t,
                                   bool);

}  // namespace kernels
}  // namespace ember
