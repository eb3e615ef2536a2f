// aten::view.default / aten::view_copy.default: a reshape of contiguous data is a byte copy
// (skipped when the memory planner aliased the output to the input).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// view(Tensor self, SymInt[] size) -> Tensor
void view_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  const Tensor& self = args[0]->tensor();
  int64_t sizes[kMaxDims];
  if (!shape::infer_size(ctx, op, args[1]->int_list(), self.numel(), sizes)) return;
  shape::view_copy_into(ctx, op, self, args[2]->tensor(), sizes,
                        static_cast<int>(args[1]->int_list().size));
}

void view_out(KernelContext& ctx, EValue** args, size_t num_args) {
  view_impl("aten::view", ctx, args, num_args);
}
void view_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  view_impl("aten::view_copy", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::view.default", view_out);
EMBER_REGISTER_KERNEL("aten::view_copy.default", view_copy_out);

}  // namespace kernels
}  // namespace ember
