// aten::unsqueeze.default / unsqueeze_copy.default: a copy with a size-1 dim inserted.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// unsqueeze(Tensor self, int dim) -> Tensor
void unsqueeze_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  const Tensor& self = args[0]->tensor();
  EMBER_KCHECK(ctx, self.dim() < kMaxDims, "%s: result would exceed %d dims", op, kMaxDims);
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), self.dim() + 1, &dim)) return;
  int64_t sizes[kMaxDims];
  int n = 0;
  for (int i = 0; i <= self.dim(); ++i) {
    if (i == dim) sizes[n++] = 1;
    if (i < self.dim()) sizes[n++] = self.size(i);
  }
  shape::view_copy_into(ctx, op, self, args[2]->tensor(), sizes, n);
}

void unsqueeze_out(KernelContext& ctx, EValue** args, size_t num_args) {
  unsqueeze_impl("aten::unsqueeze", ctx, args, num_args);
}
void unsqueeze_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  unsqueeze_impl("aten::unsqueeze_copy", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::unsqueeze.default", unsqueeze_out);
EMBER_REGISTER_KERNEL("aten::unsqueeze_copy.default", unsqueeze_copy_out);

}  // namespace kernels
}  // namespace ember
