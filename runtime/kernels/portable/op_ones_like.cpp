// aten::ones_like.default: ones with self's shape; dtype is out's (which must match the dtype
// argument, or self's dtype when it is None). layout, device, pin_memory and memory_format are
// ignored.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void ones_like_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::ones_like.default";
  if (!check_nargs(ctx, op, num_args, 7)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  Operand value;
  EValue v = EValue::make_int(1);
  value.init(v);
  ScalarType want;
  if (!get_opt_dtype(ctx, op, args, 1, in->dtype(), &want)) return;
  for (size_t i = 2; i < 6; ++i) {
    if (!check_ignored(ctx, op, args, i, "layout/device/pin_memory/memory_format")) return;
  }
  Tensor* out = get_tensor(ctx, op, args, 6, "out");
  if (out == nullptr) return;
  if (!check_same_shape(ctx, op, *out, *in)) return;
  if (!check_dtype(ctx, op, *out, want)) return;
  fill_with(*out, value);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::ones_like.default", ones_like_default);

}  // namespace kernels
}  // namespace ember
