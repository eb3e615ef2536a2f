// aten::full_like.default: fill_value (cast to the output dtype) with self's shape; dtype is out's
// (which must match the dtype argument, or self's dtype when it is None). layout, device,
// pin_memory and memory_format are ignored.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void full_like_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::full_like.default";
  if (!check_nargs(ctx, op, num_args, 8)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  if (!get_scalar(ctx, op, args, 1, "fill_value")) return;
  Operand value;
  value.init(*args[1]);
  ScalarType want;
  if (!get_opt_dtype(ctx, op, args, 2, in->dtype(), &want)) return;
  for (size_t i = 3; i < 7; ++i) {
    if (!check_ignored(ctx, op, args, i, "layout/device/pin_memory/memory_format")) return;
  }
  Tensor* out = get_tensor(ctx, op, args, 7, "out");
  if (out == nullptr) return;
  if (!check_same_shape(ctx, op, *out, *in)) return;
  if (!check_dtype(ctx, op, *out, want)) return;
  if (!check_value_fits(ctx, op, value.t, out->dtype())) return;
  fill_with(*out, value);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::full_like.default", full_like_default);

}  // namespace kernels
}  // namespace ember
