// aten::pow.Tensor_Tensor, pow.Tensor_Scalar and pow.Scalar (Scalar base, Tensor exponent).
// Integers use exact integer powers (PyTorch's powi rules); floats std::pow with PyTorch's
// special cases for scalar exponents 0.5, -0.5, -1, 2, 3 and -2.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void pow_general(KernelContext& ctx, const char* op, const Tensor& a, const Tensor& b,
                 const Tensor& out, ScalarType common) {
  if (common == ScalarType::Bool) {
    ctx.fail(Error::InvalidArgument, "%s: not supported for bool", op);
    return;
  }
  if (!check_dtype(ctx, op, out, common)) return;
  dispatch_real(common, [&](auto z) {
    using T = decltype(z);
    if constexpr (std::is_floating_point<T>::value) {
      binary_loop<T, T>(a, b, out, [](T p, T q) -> T { return std::pow(p, q); });
    } else if constexpr (is_int_v<T>) {
      binary_loop<T, T>(a, b, out, [](T p, T q) -> T { return int_pow(p, q); });
    }
  });
}

void pow_tensor_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::pow.Tensor_Tensor";
  if (!check_nargs(ctx, op, num_args, 3)) return;
  Operand a, b;
  Tensor* out;
  ScalarType common;
  if (!prepare_binary(ctx, op, args, 0, 1, 2, &a, &b, &out, &common)) return;
  pow_general(ctx, op, a.t, b.t, *out, common);
}

void pow_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::pow.Scalar";
  if (!check_nargs(ctx, op, num_args, 3)) return;
  Operand a, b;
  Tensor* out;
  ScalarType common;
  if (!prepare_binary(ctx, op, args, 0, 1, 2, &a, &b, &out, &common)) return;
  pow_general(ctx, op, a.t, b.t, *out, common);
}

void pow_tensor_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::pow.Tensor_Scalar";
  if (!check_nargs(ctx, op, num_args, 3)) return;
  Operand a, b;
  Tensor* out;
  ScalarType common;
  if (!prepare_binary(ctx, op, args, 0, 1, 2, &a, &b, &out, &common)) return;
  if (b.t.numel() != 1) {
    ctx.fail(Error::InvalidArgument, "%s: exponent must be a scalar", op);
    return;
  }
  if (!is_floating(common)) {
    if (!is_floating(b.t.dtype()) && load_cast<int64_t>(b.t, 0) < 0) {
      ctx.fail(Error::InvalidArgument, "%s: integers to negative integer powers are not allowed",
               op);
      return;
    }
    pow_general(ctx, op, a.t, b.t, *out, common);
    return;
  }
  if (!check_dtype(ctx, op, *out, common)) return;
  const double e = load_cast<double>(b.t, 0);
  dispatch_float(common, [&](auto z) {
    using T = decltype(z);
    const T et = static_cast<T>(e);
    const Tensor& x = a.t;
    if (e == 0.0) {
      fill_typed<T>(*out, T(1));
    } else if (e == 1.0) {
      unary_loop<T, T>(x, *out, [](T v) -> T { return v; });
    } else if (e == 0.5) {
      unary_loop<T, T>(x, *out, [](T v) -> T { return std::sqrt(v); });
    } else if (e == -0.5) {
      unary_loop<T, T>(x, *out, [](T v) -> T { return T(1) / std::sqrt(v); });
    } else if (e == -1.0) {
      unary_loop<T, T>(x, *out, [](T v) -> T { return T(1) / v; });
    } else if (e == 2.0) {
      unary_loop<T, T>(x, *out, [](T v) -> T { return v * v; });
    } else if (e == 3.0) {
      unary_loop<T, T>(x, *out, [](T v) -> T { return v * v * v; });
    } else if (e == -2.0) {
      unary_loop<T, T>(x, *out, [](T v) -> T { return T(1) / (v * v); });
    } else {
      unary_loop<T, T>(x, *out, [et](T v) -> T { return std::pow(v, et); });
    }
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::pow.Tensor_Tensor", pow_tensor_tensor);
EMBER_REGISTER_KERNEL("aten::pow.Tensor_Scalar", pow_tensor_scalar);
EMBER_REGISTER_KERNEL("aten::pow.Scalar", pow_scalar);

}  // namespace kernels
}  // namespace ember
