// aten::alias.default / alias_copy.default: the same tensor (copied unless aliased).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// alias(Tensor self) -> Tensor
void alias_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 1);
  const Tensor& self = args[0]->tensor();
  shape::view_copy_into(ctx, op, self, args[1]->tensor(), self.sizes(), self.dim());
}

void alias_out(KernelContext& ctx, EValue** args, size_t num_args) {
  alias_impl("aten::alias", ctx, args, num_args);
}
void alias_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  alias_impl("aten::alias_copy", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::alias.default", alias_out);
EMBER_REGISTER_KERNEL("aten::alias_copy.default", alias_copy_out);

}  // namespace kernels
}  // namespace ember
