// Helpers shared by the compute-heavy NN kernels (convolution, matmul family, pooling,
// normalization, softmax, upsampling): argument accessors, parameter expansion and shape checks.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <type_traits>

#include "runtime/kernels/portable/kernel_utils.h"

namespace ember {
namespace kernels {
namespace nn {

// Upper bound for kernel sizes, strides, paddings, dilations and groups given as arguments, and
// for single spatial sizes / kernel extents read from tensors (kMaxExtent), so that index
// arithmetic such as (in - 1) * stride + dilation * (k - 1) can never overflow int64.
constexpr int64_t kMaxParam = int64_t(1) << 20;
constexpr int64_t kMaxExtent = int64_t(1) << 40;

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

// ---------------------------------------------------------------------------------------------
// 2-D pooling helpers (input [C, H, W] or [N, C, H, W]).

struct Pool2d {
  int64_t k[2], s[2], p[2], d[2];
  bool ceil_mode;
  int64_t planes, H, W, OH, OW;
  int out_dim;
  int64_t out_sizes[4];
};

// Validates input and window parameters the way PyTorch's pool2d_shape_check does and computes
// the output shape. `dilation` may be null (avg_pool2d).
inline bool parse_pool2d(KernelContext& ctx, const char* op, const Tensor& in, const EValue& kernel,
                         const EValue& stride, const EValue& padding, const EValue* dilation,
                         bool ceil_mode, Pool2d* P) {
  if (in.dim() != 3 && in.dim() != 4) {
    ctx.fail(Error::InvalidArgument, "%s: expected a 3-D or 4-D input, got %d-D", op, in.dim());
    return false;
  }
  if (in.dtype() != ScalarType::Float32 && in.dtype() != ScalarType::Float64) {
    ctx.fail(Error::InvalidArgument, "%s: unsupported dtype %s", op, scalar_type_name(in.dtype()));
    return false;
  }
  const int b = in.dim() - 3;
  P->H = in.size(b + 1);
  P->W = in.size(b + 2);
  P->planes = in.size(b) * (b ? in.size(0) : 1);
  if (P->H <= 0 || P->W <= 0 || P->H > kMaxExtent || P->W > kMaxExtent) {
    ctx.fail(Error::InvalidArgument, "%s: input spatial size must be non-empty", op);
    return false;
  }
  if (!expand_param(kernel, 2, P->k, 1)) {
    ctx.fail(Error::InvalidArgument, "%s: invalid kernel_size", op);
    return false;
  }
  if (!expand_param(stride, 2, P->s, 1, /*allow_empty=*/true, P->k)) {
    ctx.fail(Error::InvalidArgument, "%s: invalid stride", op);
    return false;
  }
  if (!expand_param(padding, 2, P->p, 0)) {
    ctx.fail(Error::InvalidArgument, "%s: invalid padding", op);
    return false;
  }
  P->d[0] = P->d[1] = 1;
  if (dilation != nullptr && !expand_param(*dilation, 2, P->d, 1)) {
    ctx.fail(Error::InvalidArgument, "%s: invalid dilation", op);
    return false;
  }
  if (P->p[0] > P->k[0] / 2 || P->p[1] > P->k[1] / 2) {
    ctx.fail(Error::InvalidArgument, "%s: pad should be at most half of kernel size", op);
    return false;
  }
  P->ceil_mode = ceil_mode;
  P->OH = pool_out_size(P->H, P->k[0], P->p[0], P->s[0], P->d[0], ceil_mode);
  P->OW = pool_out_size(P->W, P->k[1], P->p[1], P->s[1], P->d[1], ceil_mode);
  if (P->OH < 1 || P->OW < 1) {
    ctx.fail(Error::InvalidArgument, "%s: output size is too small (%lld x %lld)", op,
             (long long)P->OH, (long long)P->OW);
    return false;
  }
  P->out_dim = in.dim();
  for (int i = 0; i < b + 1; ++i) P->out_sizes[i] = in.size(i);
  P->out_sizes[b + 1] = P->OH;
  P->out_sizes[b + 2] = P->OW;
  return true;
}

// Max pooling with PyTorch's CPU semantics: NaN wins, the first maximum is kept, the index is
// the flat position h * W + w within the input plane.
template <typename T>
void max_pool2d_compute(const Pool2d& P, const T* in, T* out, int64_t* indices) {
  for (int64_t pl = 0; pl < P.planes; ++pl) {
    const T* ip = in + pl * P.H * P.W;
    T* op = out + pl * P.OH * P.OW;
    int64_t* xp = indices ? indices + pl * P.OH * P.OW : nullptr;
    for (int64_t oh = 0; oh < P.OH; ++oh) {
      int64_t h0 = oh * P.s[0] - P.p[0];
      const int64_t h1 =
          h0 + (P.k[0] - 1) * P.d[0] + 1 < P.H ? h0 + (P.k[0] - 1) * P.d[0] + 1 : P.H;
      while (h0 < 0) h0 += P.d[0];
      for (int64_t ow = 0; ow < P.OW; ++ow) {
        int64_t w0 = ow * P.s[1] - P.p[1];
        const int64_t w1 =
            w0 + (P.k[1] - 1) * P.d[1] + 1 < P.W ? w0 + (P.k[1] - 1) * P.d[1] + 1 : P.W;
        while (w0 < 0) w0 += P.d[1];
        int64_t best = h0 * P.W + w0;
        T maxv = -__builtin_inf();
        for (int64_t ih = h0; ih < h1; ih += P.d[0])
          for (int64_t iw = w0; iw < w1; iw += P.d[1]) {
            const int64_t idx = ih * P.W + iw;
            const T v = ip[idx];
            if (v > maxv || v != v) {
              maxv = v;
              best = idx;
            }
          }
        op[oh * P.OW + ow] = maxv;
        if (xp) xp[oh * P.OW + ow] = best;
      }
    }
  }
}

// Adaptive pooling window: [floor(o * in / out), ceil((o + 1) * in / out)).
inline int64_t adaptive_start(int64_t o, int64_t out, int64_t in) {
  return (o * in) / out;
}
inline int64_t adaptive_end(int64_t o, int64_t out, int64_t in) {
  return ((o + 1) * in + out - 1) / out;
}

// ---------------------------------------------------------------------------------------------
// 2-D upsampling helpers (input [N, C, H, W]).

struct Upsample2d {
  int64_t N, C, planes, H, W, OH, OW;
  bool has_scale[2];
  double scale[2];  // the scales argument (output / input), when given
};

// Parses the `.vec` overload arguments (SymInt[]? output_size, float[]? scale_factors) the way
// PyTorch's compute_output_size does: exactly one must be given; scale factors give
// floor(in * scale) and are passed on as the interpolation scales.
inline bool parse_upsample2d_vec(KernelContext& ctx, const char* op, const Tensor& in,
                                 const EValue* osize, const EValue* factors, Upsample2d* U) {
  if (in.dim() != 4) {
    ctx.fail(Error::InvalidArgument, "%s: expected a 4-D input, got %d-D", op, in.dim());
    return false;
  }
  U->H = in.size(2);
  U->W = in.size(3);
  U->N = in.size(0);
  U->C = in.size(1);
  U->planes = U->N * U->C;
  U->has_scale[0] = U->has_scale[1] = false;
  U->scale[0] = U->scale[1] = 0.0;
  const bool has_size = osize != nullptr && !osize->is_none();
  const bool has_factors = factors != nullptr && !factors->is_none();
  if (has_size == has_factors) {
    ctx.fail(Error::InvalidArgument,
             "%s: must specify exactly one of output_size and scale_factors", op);
    return false;
  }
  if (has_size) {
    if (!osize->is_int_list() || osize->int_list().size != 2 || osize->int_list().data == nullptr) {
      ctx.fail(Error::InvalidArgument, "%s: output_size must be a list of 2 ints", op);
      return false;
    }
    U->OH = osize->int_list()[0];
    U->OW = osize->int_list()[1];
  } else {
    if (!factors->is_double_list() || factors->double_list().size != 2 ||
        factors->double_list().data == nullptr) {
      ctx.fail(Error::InvalidArgument, "%s: scale_factors must be a list of 2 floats", op);
      return false;
    }
    const int64_t in_sz[2] = {U->H, U->W};
    int64_t* out_sz[2] = {&U->OH, &U->OW};
    for (int i = 0; i < 2; ++i) {
      const double f = factors->double_list()[i];
      const double o = static_cast<double>(in_sz[i]) * f;
      if (!(o >= 0.0 && o < static_cast<double>(kMaxExtent))) {
        ctx.fail(Error::InvalidArgument, "%s: invalid scale factor %g", op, f);
        return false;
      }
      *out_sz[i] = static_cast<int64_t>(o);
      U->has_scale[i] = true;
      U->scale[i] = f;
    }
  }
  if (U->H <= 0 || U->W <= 0 || U->OH <= 0 || U->OW <= 0 || U->OH > kMaxExtent ||
      U->OW > kMaxExtent || U->H > kMaxExtent || U->W > kMaxExtent) {
    ctx.fail(Error::InvalidArgument, "%s: input and output sizes should be greater than 0", op);
    return false;
  }
  return true;
}

// Whether a contiguous NCHW tensor of this shape is also channels-last contiguous (PyTorch's
// compute_channels_last_contiguous_2d); PyTorch picks a different upsampling kernel then.
inline bool nchw_is_channels_last_contiguous(int64_t N, int64_t C, int64_t H, int64_t W) {
  const int64_t sizes[4] = {N, C, H, W};
  const int64_t strides[4] = {C * H * W, H * W, W, 1};
  const int order[4] = {1, 3, 2, 0};
  int64_t expected = 1;
  for (int d : order) {
    if (sizes[d] == 1) continue;
    if (strides[d] != expected) return false;
    expected *= sizes[d];
  }
  return true;
}
inline bool nchw_is_channels_last_contiguous(const Upsample2d& U) {
  return nchw_is_channels_last_contiguous(U.N, U.C, U.H, U.W);
}

// Parses the `.default` overload arguments (SymInt[2] output_size, float? scales_h,
// float? scales_w).
inline bool parse_upsample2d_default(KernelContext& ctx, const char* op, const Tensor& in,
                                     const EValue& osize, const EValue& sh, const EValue& sw,
                                     Upsample2d* U) {
  if (!parse_upsample2d_vec(ctx, op, in, &osize, nullptr, U)) return false;
  const EValue* sc[2] = {&sh, &sw};
  for (int i = 0; i < 2; ++i) {
    if (sc[i]->is_none()) continue;
    if (!sc[i]->is_double() && !sc[i]->is_int()) {
      ctx.fail(Error::InvalidArgument, "%s: scales must be floats or None", op);
      return false;
    }
    U->has_scale[i] = true;
    U->scale[i] = sc[i]->scalar_as_double();
  }
  return true;
}

// PyTorch's compute_scales_value<float>: 1 / scale when a positive scale was given, else in / out.
inline float upsample_scale_f(bool has, double scale, int64_t in, int64_t out) {
  return (has && scale > 0.0) ? static_cast<float>(1.0 / scale)
                              : static_cast<float>(in) / static_cast<float>(out);
}

inline float float_of(const EValue& v) {
  return static_cast<float>(v.scalar_as_double());
}

}  // namespace nn
}  // namespace kernels
}  // namespace ember
