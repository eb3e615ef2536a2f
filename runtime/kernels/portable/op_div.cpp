// aten::div.Tensor / div.Scalar (true division, integer inputs give float32) and
// aten::div.Tensor_mode / div.Scalar_mode (rounding_mode None, "trunc" or "floor").
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void div_true(KernelContext& ctx, const char* op, const Operand& a, const Operand& b,
              const Tensor& out, ScalarType common) {
  ScalarType want = to_float_type(common);
  if (!check_dtype(ctx, op, out, want)) return;
  dispatch_float(want, [&](auto z) {
    using T = decltype(z);
    binary_loop<T, T>(a.t, b.t, out, [](T p, T q) -> T { return p / q; });
  });
}

void div_impl(KernelContext& ctx, const char* op, EValue** args, size_t num_args, bool has_mode) {
  if (!check_nargs(ctx, op, num_args, has_mode ? 4 : 3)) return;
  Operand a, b;
  Tensor* out;
  ScalarType common;
  if (!prepare_binary(ctx, op, args, 0, 1, has_mode ? 3 : 2, &a, &b, &out, &common)) return;
  if (!has_mode || args[2] == nullptr || args[2]->is_none()) {
    div_true(ctx, op, a, b, *out, common);
  } else if (string_equals(*args[2], "trunc")) {
    division_op(
        ctx, op, a.t, b.t, *out, common, [](auto p, auto q) { return int_div_trunc(p, q); },
        [](auto p, auto q) { return std::trunc(p / q); });
  } else if (string_equals(*args[2], "floor")) {
    division_op(
        ctx, op, a.t, b.t, *out, common, [](auto p, auto q) { return int_div_floor(p, q); },
        [](auto p, auto q) { return float_div_floor(p, q); });
  } else {
    ctx.fail(Error::InvalidArgument, "%s: rounding_mode must be None, 'trunc' or 'floor'", op);
  }
}

void div_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  div_impl(ctx, "aten::div.Tensor", args, num_args, false);
}
void div_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  div_impl(ctx, "aten::div.Scalar", args, num_args, false);
}
void div_tensor_mode(KernelContext& ctx, EValue** args, size_t num_args) {
  div_impl(ctx, "aten::div.Tensor_mode", args, num_args, true);
}
void div_scalar_mode(KernelContext& ctx, EValue** args, size_t num_args) {
  div_impl(ctx, "aten::div.Scalar_mode", args, num_args, true);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::div.Tensor", div_tensor);
EMBER_REGISTER_KERNEL("aten::div.Scalar", div_scalar);
EMBER_REGISTER_KERNEL("aten::div.Tensor_mode", div_tensor_mode);
EMBER_REGISTER_KERNEL("aten::div.Scalar_mode", div_scalar_mode);

}  // namespace kernels
}  // namespace ember
