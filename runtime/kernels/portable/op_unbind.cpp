// aten::unbind.int / unbind_copy.int: every index along a dim as its own tensor.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// unbind.int(Tensor self, int dim=0) -> Tensor[]
void unbind_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR_LIST(ctx, op, args, 2);
  const Tensor& self = args[0]->tensor();
  EMBER_KCHECK(ctx, self.dim() > 0, "%s: cannot unbind a 0-d tensor", op);
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), self.dim(), &dim)) return;
  const int64_t size = self.size(static_cast<int>(dim));
  ArrayRef<Tensor*> outs = args[2]->tensor_list();
  if (!shape::check_out_list(ctx, op, outs, size)) return;
  for (int64_t i = 0; i < size && ctx.ok(); ++i)
    shape::narrow_into(ctx, op, self, static_cast<int>(dim), i, 1, true, *outs[i]);
}

void unbind_out(KernelContext& ctx, EValue** args, size_t num_args) {
  unbind_impl("aten::unbind.int", ctx, args, num_args);
}
void unbind_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  unbind_impl("aten::unbind_copy.int", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::unbind.int", unbind_out);
EMBER_REGISTER_KERNEL("aten::unbind_copy.int", unbind_copy_out);

}  // namespace kernels
}  // namespace ember
