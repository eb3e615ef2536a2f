// aten::_to_copy.default: copy with dtype conversion to out's dtype (float -> int truncates,
// anything -> bool is != 0). layout, device, pin_memory, non_blocking and memory_format are
// ignored; dtype, when given, must match out.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void to_copy_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::_to_copy.default";
  if (!check_nargs(ctx, op, num_args, 8)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  ScalarType want;
  if (!get_opt_dtype(ctx, op, args, 1, in->dtype(), &want)) return;
  for (size_t i = 2; i < 7; ++i) {
    if (!check_ignored(ctx, op, args, i, "layout/device/pin_memory/non_blocking/memory_format")) {
      return;
    }
  }
  Tensor* out = get_tensor(ctx, op, args, 7, "out");
  if (out == nullptr) return;
  if (!check_same_shape(ctx, op, *out, *in)) return;
  if (!check_dtype(ctx, op, *out, want)) return;
  convert_copy(*in, *out);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::_to_copy.default", to_copy_default);

}  // namespace kernels
}  // namespace ember
