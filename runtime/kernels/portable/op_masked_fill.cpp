// aten::masked_fill.Scalar / masked_fill.Tensor (0-dim value): mask ? value : self, where mask
// and self broadcast together; out keeps self's dtype.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void masked_fill_impl(KernelContext& ctx, const char* op, EValue** args, size_t num_args,
                      bool tensor_value) {
  if (!check_nargs(ctx, op, num_args, 4)) return;
  Tensor* self = get_tensor(ctx, op, args, 0, "self");
  if (self == nullptr) return;
  Tensor* mask = get_tensor(ctx, op, args, 1, "mask");
  if (mask == nullptr) return;
  Operand value;
  if (tensor_value) {
    if (!get_operand(ctx, op, args, 2, "value", &value, false)) return;
    if (value.t.dim() != 0) {
      ctx.fail(Error::InvalidArgument,
               "%s: only supports a 0-dimensional value tensor, got %d dims", op, value.t.dim());
      return;
    }
  } else {
    if (!get_scalar(ctx, op, args, 2, "value")) return;
    value.init(*args[2]);
  }
  Tensor* out = get_tensor(ctx, op, args, 3, "out");
  if (out == nullptr) return;
  if (mask->dtype() != ScalarType::Bool) {
    ctx.fail(Error::InvalidArgument, "%s: mask must be a bool tensor, got %s", op,
             dtype_name(mask->dtype()));
    return;
  }
  if (!check_broadcast_out(ctx, op, *out, self, mask)) return;
  if (!check_dtype(ctx, op, *out, self->dtype())) return;
  if (!check_value_fits(ctx, op, value.t, out->dtype())) return;
  dispatch_real(self->dtype(), [&](auto z) {
    using T = decltype(z);
    const T v = load_cast<T>(value.t, 0);
    ternary_loop<T, uint8_t, T, T>(self, mask, nullptr, *out,
                                   [v](T x, uint8_t m, T) -> T { return mask_select(m, v, x); });
  });
}

void masked_fill_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  masked_fill_impl(ctx, "aten::masked_fill.Scalar", args, num_args, false);
}
void masked_fill_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  masked_fill_impl(ctx, "aten::masked_fill.Tensor", args, num_args, true);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::masked_fill.Scalar", masked_fill_scalar);
EMBER_REGISTER_KERNEL("aten::masked_fill.Tensor", masked_fill_tensor);

}  // namespace kernels
}  // namespace ember
