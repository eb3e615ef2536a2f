// Helpers shared by the compute-heavy NN kernels (convolution, matmul family, pooling,
// normalization, softmax, upsampling): argument accessors, parameter expansion and shape checks.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <type_traits>

#include "runtime/kernels/portable/kernel_utils.h"

namespace ember {
namespace kernels {
namespace nn {

// Upper bound for kernel sizes, strides, paddings, dilations and scale-derived quantities, so
// arithmetic on them can never overflow int64.
constexpr int64_t kMaxParam = int64_t(1) << 31;

// A tensor is usable when its rank, sizes, dtype and data pointer are consistent.
inline bool tensor_is_sane(const Tensor& t) {
  if (t.dim() < 0 || t.dim() > kMaxDims) return false;
  if (!is_valid_scalar_type(static_cast<int>(t.dtype()))) return false;
  int64_t n = 1;
  for (int i = 0; i < t.dim(); ++i) {
    const int64_t s = t.sizes()[i];
    if (s < 0) return false;
    if (s != 0 && n > (int64_t(1) << 48) / s) return false;
    n *= s;
  }
  return n == 0 || t.data() != nullptr;
}

inline bool is_tensor(EValue** args, size_t i) {
  return args[i] != nullptr && args[i]->is_tensor() && tensor_is_sane(args[i]->tensor());
}
inline bool is_opt_tensor(EValue** args, size_t i) {
  return args[i] != nullptr && (args[i]->is_none() || is_tensor(args, i));
}
// The tensor of an optional tensor argument, or nullptr for None.
inline const Tensor* opt_tensor(EValue** args, size_t i) {
  return args[i]->is_none() ? nullptr : &args[i]->tensor();
}
inline bool is_int(EValue** args, size_t i) {
  return args[i] != nullptr && args[i]->is_int();
}
inline bool is_bool(EValue** args, size_t i) {
  return args[i] != nullptr && args[i]->is_bool();
}
inline bool is_none(EValue** args, size_t i) {
  return args[i] != nullptr && args[i]->is_none();
}
inline bool is_number(EValue** args, size_t i) {
  return args[i] != nullptr && (args[i]->is_double() || args[i]->is_int());
}
inline bool is_scalar(EValue** args, size_t i) {
  return args[i] != nullptr && args[i]->is_scalar();
}
inline bool is_int_list(EValue** args, size_t i) {
  return args[i] != nullptr && args[i]->is_int_list() &&
         (args[i]->int_list().size == 0 || args[i]->int_list().data != nullptr);
}
inline bool is_double_list(EValue** args, size_t i) {
  return args[i] != nullptr && args[i]->is_double_list() &&
         (args[i]->double_list().size == 0 || args[i]->double_list().data != nullptr);
}

#define EMBER_NN_ARG(ctx, op, args, i, pred, what)                                         \
  EMBER_KCHECK(ctx, ::ember::kernels::nn::pred(args, i), "%s: argument %d must be %s", op, \
               (int)(i), what)
#define EMBER_NN_TENSOR(ctx, op, args, i) EMBER_NN_ARG(ctx, op, args, i, is_tensor, "a tensor")
#define EMBER_NN_OPT_TENSOR(ctx, op, args, i) \
  EMBER_NN_ARG(ctx, op, args, i, is_opt_tensor, "a tensor or None")
#define EMBER_NN_INT(ctx, op, args, i) EMBER_NN_ARG(ctx, op, args, i, is_int, "an int")
#define EMBER_NN_BOOL(ctx, op, args, i) EMBER_NN_ARG(ctx, op, args, i, is_bool, "a bool")
#define EMBER_NN_NUMBER(ctx, op, args, i) EMBER_NN_ARG(ctx, op, args, i, is_number, "a float")
#define EMBER_NN_SCALAR(ctx, op, args, i) EMBER_NN_ARG(ctx, op, args, i, is_scalar, "a scalar")
#define EMBER_NN_INT_LIST(ctx, op, args, i) \
  EMBER_NN_ARG(ctx, op, args, i, is_int_list, "an int list")

// Expands an int-list parameter to n values: a list of n values, a single value repeated, or (when
// allow_empty) an empty list, which yields `empty_default` (copied). Every value must lie in
// [min_value, kMaxParam]. Returns false when the list does not fit.
inline bool expand_param(const EValue& v, int n, int64_t* out, int64_t min_value,
                         bool allow_empty = false, const int64_t* empty_default = nullptr) {
  if (!v.is_int_list()) return false;
  ArrayRef<int64_t> l = v.int_list();
  if (l.size == 0) {
    if (!allow_empty || empty_default == nullptr) return false;
    for (int i = 0; i < n; ++i) out[i] = empty_default[i];
    return true;
  }
  if (l.data == nullptr) return false;
  if (l.size != 1 && l.size != static_cast<size_t>(n)) return false;
  for (int i = 0; i < n; ++i) {
    const int64_t x = l.size == 1 ? l[0] : l[i];
    if (x < min_value || x > kMaxParam) return false;
    out[i] = x;
  }
  return true;
}

// Writes "[a, b, c]" into buf.
inline const char* format_sizes(char* buf, size_t n, int dim, const int64_t* sizes) {
  size_t used = 0;
  buf[0] = '\0';
  used += snprintf(buf + used, n - used, "[");
  for (int i = 0; i < dim && used < n; ++i)
    used += snprintf(buf + used, n - used, i ? ", %lld" : "%lld", (long long)sizes[i]);
  if (used < n) snprintf(buf + used, n - used, "]");
  return buf;
}

// Checks that `out` has the expected dtype and shape; fails the kernel otherwise.
inline bool check_out(KernelContext& ctx, const char* op, const char* what, const Tensor& out,
                      ScalarType dtype, int dim, const int64_t* sizes) {
  if (out.dtype() != dtype) {
    ctx.fail(Error::InvalidArgument, "%s: %s has dtype %s, expected %s", op, what,
             scalar_type_name(out.dtype()), scalar_type_name(dtype));
    return false;
  }
  bool same = out.dim() == dim;
  for (int i = 0; same && i < dim; ++i) same = out.size(i) == sizes[i];
  if (!same) {
    char got[96], want[96];
    ctx.fail(Error::InvalidArgument, "%s: %s has shape %s, expected %s", op, what,
             format_sizes(got, sizeof(got), out.dim(), out.sizes()),
             format_sizes(want, sizeof(want), dim, sizes));
    return false;
  }
  return true;
}

// PyTorch's pooling_output_shape (pad on both sides, floor or ceil mode).
inline int64_t pool_out_size(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dil,
                             bool ceil_mode) {
  const int64_t num = in + 2 * pad - dil * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0);
  // Division rounding toward negative infinity.
  int64_t q = num / stride;
  if ((num % stride != 0) && ((num < 0) != (stride < 0))) --q;
  int64_t out = q + 1;
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Matmul-family helpers.

inline bool is_gemm_dtype(ScalarType t) {
  return t == ScalarType::Float32 || t == ScalarType::Float64 || t == ScalarType::Int64 ||
         t == ScalarType::Int32;
}

// Calls FN<T>(args...) for the gemm dtypes (float, double, int64, int32).
#define EMBER_NN_GEMM_DISPATCH(dtype, FN, ...) \
  switch (dtype) {                             \
    case ::ember::ScalarType::Float32:         \
      FN<float>(__VA_ARGS__);                  \
      break;                                   \
    case ::ember::ScalarType::Float64:         \
      FN<double>(__VA_ARGS__);                 \
      break;                                   \
    case ::ember::ScalarType::Int64:           \
      FN<int64_t>(__VA_ARGS__);                \
      break;                                   \
    case ::ember::ScalarType::Int32:           \
      FN<int32_t>(__VA_ARGS__);                \
      break;                                   \
    default:                                   \
      break;                                   \
  }

// A Scalar argument converted to T (floating T: as double; integral T: as int).
template <typename T>
inline T scalar_to(const EValue& v) {
  if (std::is_floating_point<T>::value) return static_cast<T>(v.scalar_as_double());
  return static_cast<T>(v.scalar_as_int());
}

// out = beta * self, with `self` broadcast to out's shape (same dtype T).
template <typename T>
void fill_broadcast_scaled(const Tensor& self, const Tensor& out, T beta) {
  const int64_t n = out.numel();
  T* o = out.data_as<T>();
  const T* s = self.data_as<const T>();
  if (n == 0) return;
  if (self.numel() == n) {
    for (int64_t i = 0; i < n; ++i) o[i] = beta * s[i];
    return;
  }
  const int64_t last = out.dim() > 0 ? out.size(out.dim() - 1) : 1;
  bool row = self.numel() == last && last > 1;
  for (int i = 0; row && i < self.dim() - 1; ++i) row = self.size(i) == 1;
  if (row) {
    for (int64_t r = 0; r < n / last; ++r)
      for (int64_t j = 0; j < last; ++j) o[r * last + j] = beta * s[j];
    return;
  }
  if (self.numel() == 1) {
    for (int64_t i = 0; i < n; ++i) o[i] = beta * s[0];
    return;
  }
  BroadcastIndexer ix;
  ix.init(out, self);
  for (int64_t i = 0; i < n; ++i) o[i] = beta * s[ix.map(i)];
}

inline float float_of(const EValue& v) {
  return static_cast<float>(v.scalar_as_double());
}

}  // namespace nn
}  // namespace kernels
}  // namespace ember
