// aten::split_with_sizes.default / split_with_sizes_copy.default: pieces of the given sizes
// along a dim, written into the preallocated Tensor[] output.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// split_with_sizes(Tensor self, int[] split_sizes, int dim=0) -> Tensor[]
void split_with_sizes_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 1);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR_LIST(ctx, op, args, 3);
  const Tensor& self = args[0]->tensor();
  EMBER_KCHECK(ctx, self.dim() > 0, "%s: cannot split a 0-d tensor", op);
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[2]->to_int(), self.dim(), &dim)) return;
  const int64_t size = self.size(static_cast<int>(dim));
  ArrayRef<int64_t> splits = args[1]->int_list();
  int64_t total = 0;
  for (size_t i = 0; i < splits.size; ++i) {
    EMBER_KCHECK(ctx, splits[i] >= 0 && splits[i] <= size, "%s: invalid split size %lld", op,
                 static_cast<long long>(splits[i]));
    total += splits[i];
    EMBER_KCHECK(ctx, total <= size, "%s: split sizes exceed the dim size %lld", op,
                 static_cast<long long>(size));
  }
  EMBER_KCHECK(ctx, total == size, "%s: split sizes sum to %lld, expected %lld", op,
               static_cast<long long>(total), static_cast<long long>(size));
  ArrayRef<Tensor*> outs = args[3]->tensor_list();
  if (!shape::check_out_list(ctx, op, outs, static_cast<int64_t>(splits.size))) return;
  int64_t start = 0;
  for (size_t i = 0; i < splits.size && ctx.ok(); ++i) {
    shape::narrow_into(ctx, op, self, static_cast<int>(dim), start, splits[i], false, *outs[i]);
    start += splits[i];
  }
}

void split_with_sizes_out(KernelContext& ctx, EValue** args, size_t num_args) {
  split_with_sizes_impl("aten::split_with_sizes", ctx, args, num_args);
}
void split_with_sizes_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  split_with_sizes_impl("aten::split_with_sizes_copy", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::split_with_sizes.default", split_with_sizes_out);
EMBER_REGISTER_KERNEL("aten::split_with_sizes_copy.default", split_with_sizes_copy_out);

}  // namespace kernels
}  // namespace ember
