// Shared body of aten::_softmax / aten::_log_softmax: numerically stable (max-subtracted, NaN
// propagating) along any dim. Rows along a contiguous last dim are processed directly; for an inner
// stride > 1 the kernel walks blocks of up to kChunk inner positions with small stack accumulators
// so every loop is over contiguous memory. kLog is a template flag so the loops stay branch-free.
#pragma once

#include <cmath>

#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace nn {
namespace softmax_detail {

constexpr int64_t kChunk = 256;

template <typename T>
inline T nan_max(T a, T b) {
  return (b > a || b != b) ? b : a;
}

template <bool kLog, typename T>
void compute(const T* x, T* y, int64_t outer, int64_t dim, int64_t inner) {
  if (inner == 1) {
    for (int64_t o = 0; o < outer; ++o) {
      const T* xr = x + o * dim;
      T* yr = y + o * dim;
      T m = -__builtin_inf();
      for (int64_t i = 0; i < dim; ++i) m = nan_max(m, xr[i]);
      T s = T(0);
      for (int64_t i = 0; i < dim; ++i) {
        const T e = std::exp(xr[i] - m);
        if constexpr (!kLog) yr[i] = e;
        s += e;
      }
      const T f = kLog ? std::log(s) : T(1) / s;
      for (int64_t i = 0; i < dim; ++i) yr[i] = kLog ? (xr[i] - m) - f : yr[i] * f;
    }
    return;
  }
  T mx[kChunk], sm[kChunk];
  for (int64_t o = 0; o < outer; ++o) {
    const T* xo = x + o * dim * inner;
    T* yo = y + o * dim * inner;
    for (int64_t c0 = 0; c0 < inner; c0 += kChunk) {
      const int64_t cn = inner - c0 < kChunk ? inner - c0 : kChunk;
      for (int64_t i = 0; i < cn; ++i) {
        mx[i] = -__builtin_inf();
        sm[i] = T(0);
      }
      for (int64_t d = 0; d < dim; ++d) {
        const T* xr = xo + d * inner + c0;
        for (int64_t i = 0; i < cn; ++i) mx[i] = nan_max(mx[i], xr[i]);
      }
      // log_softmax only needs the sums; softmax also keeps the exponentials in y.
      for (int64_t d = 0; d < dim; ++d) {
        const T* xr = xo + d * inner + c0;
        T* yr = yo + d * inner + c0;
        for (int64_t i = 0; i < cn; ++i) {
          const T e = std::exp(xr[i] - mx[i]);
          if constexpr (!kLog) yr[i] = e;
          sm[i] += e;
        }
      }
      // Then y = (x - max) - log(sum), or y *= 1 / sum.
      for (int64_t i = 0; i < cn; ++i) sm[i] = kLog ? std::log(sm[i]) : T(1) / sm[i];
      for (int64_t d = 0; d < dim; ++d) {
        const T* xr = xo + d * inner + c0;
        T* yr = yo + d * inner + c0;
        for (int64_t i = 0; i < cn; ++i) yr[i] = kLog ? (xr[i] - mx[i]) - sm[i] : yr[i] * sm[i];
      }
    }
  }
}

}  // namespace softmax_detail

// (Tensor self, int dim, bool half_to_float, Tensor out)
template <bool kLog>
inline void softmax_kernel(KernelContext& ctx, const char* op, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_INT(ctx, op, args, 1);
  EMBER_NN_BOOL(ctx, op, args, 2);
  EMBER_NN_TENSOR(ctx, op, args, 3);
  const Tensor& x = args[0]->tensor();
  const Tensor& out = args[3]->tensor();
  const ScalarType dt = x.dtype();
  EMBER_KCHECK(ctx, dt == ScalarType::Float32 || dt == ScalarType::Float64,
               "%s: unsupported dtype %s", op, scalar_type_name(dt));
  EMBER_KCHECK(ctx, !args[2]->to_bool(), "%s: half_to_float is only supported for Half inputs", op);
  const int64_t dim = normalize_dim(args[1]->to_int(), x.dim());
  EMBER_KCHECK(ctx, dim >= 0, "%s: dim %lld out of range for a %d-D tensor", op,
               (long long)args[1]->to_int(), x.dim());
  if (!check_out(ctx, op, "out", out, dt, x.dim(), x.sizes())) return;
  if (x.numel() == 0) return;
  int64_t outer = 1, inner = 1;
  const int64_t n = x.dim() == 0 ? 1 : x.size(static_cast<int>(dim));
  for (int i = 0; i < dim; ++i) outer *= x.size(i);
  for (int i = static_cast<int>(dim) + 1; i < x.dim(); ++i) inner *= x.size(i);
  if (dt == ScalarType::Float32)
    softmax_detail::compute<kLog, float>(x.data_as<const float>(), out.data_as<float>(), outer, n,
                                         inner);
  else
    softmax_detail::compute<kLog, double>(x.data_as<const double>(), out.data_as<double>(), outer,
                                          n, inner);
}

}  // namespace nn
}  // namespace kernels
}  // namespace ember
