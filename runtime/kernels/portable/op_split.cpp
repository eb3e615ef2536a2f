// aten::split.Tensor / split_copy.Tensor: pieces of `split_size` along a dim (the last one may
// be smaller), written into the preallocated Tensor[] output.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// split.Tensor(Tensor self, int split_size, int dim=0) -> Tensor[]
void split_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR_LIST(ctx, op, args, 3);
  const Tensor& self = args[0]->tensor();
  EMBER_KCHECK(ctx, self.dim() > 0, "%s: cannot split a 0-d tensor", op);
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[2]->to_int(), self.dim(), &dim)) return;
  const int64_t size = self.size(static_cast<int>(dim));
  const int64_t split = args[1]->to_int();
  EMBER_KCHECK(ctx, split > 0 || (split == 0 && size == 0),
               "%s: split_size %lld invalid for a dim of size %lld", op,
               static_cast<long long>(split), static_cast<long long>(size));
  const int64_t count = (split == 0 || size == 0) ? 1 : (size - 1) / split + 1;
  ArrayRef<Tensor*> outs = args[3]->tensor_list();
  if (!shape::check_out_list(ctx, op, outs, count)) return;
  for (int64_t i = 0; i < count && ctx.ok(); ++i) {
    int64_t start = i * split;
    int64_t len = size - start < split ? size - start : split;
    shape::narrow_into(ctx, op, self, static_cast<int>(dim), start, len, false, *outs[i]);
  }
}

void split_out(KernelContext& ctx, EValue** args, size_t num_args) {
  split_impl("aten::split.Tensor", ctx, args, num_args);
}
void split_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  split_impl("aten::split_copy.Tensor", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::split.Tensor", split_out);
EMBER_REGISTER_KERNEL("aten::split_copy.Tensor", split_copy_out);

}  // namespace kernels
}  // namespace ember
