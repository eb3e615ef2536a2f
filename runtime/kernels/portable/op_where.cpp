// aten::where.self: condition ? self : other, all three broadcast; out dtype is the promotion of
// self and other.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void where_self(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::where.self";
  if (!check_nargs(ctx, op, num_args, 4)) return;
  Tensor* cond = get_tensor(ctx, op, args, 0, "condition");
  if (cond == nullptr) return;
  Operand a, b;
  if (!get_operand(ctx, op, args, 1, "self", &a)) return;
  if (!get_operand(ctx, op, args, 2, "other", &b)) return;
  Tensor* out = get_tensor(ctx, op, args, 3, "out");
  if (out == nullptr) return;
  if (cond->dtype() != ScalarType::Bool && cond->dtype() != ScalarType::UInt8) {
    ctx.fail(Error::InvalidArgument, "%s: condition must be a bool tensor, got %s", op,
             dtype_name(cond->dtype()));
    return;
  }
  if (!check_broadcast_out(ctx, op, *out, cond, &a.t, &b.t)) return;
  ScalarType common = result_type(a, b);
  if (!check_dtype(ctx, op, *out, common)) return;
  dispatch_real(common, [&](auto z) {
    using T = decltype(z);
    ternary_loop<uint8_t, T, T, T>(cond, &a.t, &b.t, *out,
                                   [](uint8_t c, T x, T y) -> T { return mask_select(c, x, y); });
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::where.self", where_self);

}  // namespace kernels
}  // namespace ember
