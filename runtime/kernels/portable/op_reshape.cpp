// aten::reshape.default: a byte copy of contiguous data under a new shape.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// reshape(Tensor self, SymInt[] shape) -> Tensor
void reshape_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::reshape";
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

}  // namespace

EMBER_REGISTER_KERNEL("aten::reshape.default", reshape_out);

}  // namespace kernels
}  // namespace ember
