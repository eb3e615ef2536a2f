// aten::fill.Scalar / fill.Tensor (0-dim value): a tensor shaped like self filled with value cast
// to self's dtype.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void fill_impl(KernelContext& ctx, const char* op, EValue** args, size_t num_args,
               bool tensor_value) {
  if (!check_nargs(ctx, op, num_args, 3)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  Operand value;
  if (tensor_value) {
    if (!get_operand(ctx, op, args, 1, "value", &value, false)) return;
    EMBER_KCHECK(ctx, value.t.dim() == 0,
                 "%s: only supports a 0-dimensional value tensor, got %d dims", op, value.t.dim());
  } else {
    if (!get_scalar(ctx, op, args, 1, "value")) return;
    value.init(*args[1]);
  }
  Tensor* out = get_tensor(ctx, op, args, 2, "out");
  if (out == nullptr) return;
  if (!check_same_shape(ctx, op, *out, *in)) return;
  if (!check_dtype(ctx, op, *out, in->dtype())) return;
  if (!check_value_fits(ctx, op, value.t, out->dtype())) return;
  fill_with(*out, value);
}

void fill_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  fill_impl(ctx, "aten::fill.Scalar", args, num_args, false);
}
void fill_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  fill_impl(ctx, "aten::fill.Tensor", args, num_args, true);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::fill.Scalar", fill_scalar);
EMBER_REGISTER_KERNEL("aten::fill.Tensor", fill_tensor);

}  // namespace kernels
}  // namespace ember
