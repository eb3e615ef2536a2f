// aten::clone.default: copy of self (memory_format is ignored: tensors are always contiguous).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void clone_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::clone.default";
  if (!check_nargs(ctx, op, num_args, 3)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  if (!check_ignored(ctx, op, args, 1, "memory_format")) return;
  Tensor* out = get_tensor(ctx, op, args, 2, "out");
  if (out == nullptr) return;
  if (!check_same_shape(ctx, op, *out, *in)) return;
  if (!check_dtype(ctx, op, *out, in->dtype())) return;
  convert_copy(*in, *out);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::clone.default", clone_default);

}  // namespace kernels
}  // namespace ember
