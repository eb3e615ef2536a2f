// aten::select.int / select_copy.int: one index along a dim (the dim is removed).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// select.int(Tensor self, int dim, int index) -> Tensor
void select_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[3]->tensor();
  EMBER_KCHECK(ctx, self.dim() > 0, "%s: cannot select from a 0-d tensor", op);
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), self.dim(), &dim)) return;
  int64_t size = self.size(static_cast<int>(dim));
  int64_t index = args[2]->to_int();
  EMBER_KCHECK(
      ctx, index >= -size && index < size, "%s: index %lld out of range for dim %lld of size %lld",
      op, static_cast<long long>(index), static_cast<long long>(dim), static_cast<long long>(size));
  if (index < 0) index += size;
  shape::StridedView v;
  int64_t sizes[kMaxDims];
  int n = 0;
  for (int i = 0; i < self.dim(); ++i) {
    if (i == dim) {
      v.offset = index * self.stride(i);
    } else {
      sizes[n++] = self.size(i);
      v.push(self.size(i), self.stride(i));
    }
  }
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, sizes, n)) return;
  shape::gather_into(ctx, op, self, v, out);
}

void select_out(KernelContext& ctx, EValue** args, size_t num_args) {
  select_impl("aten::select.int", ctx, args, num_args);
}
void select_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  select_impl("aten::select_copy.int", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::select.int", select_out);
EMBER_REGISTER_KERNEL("aten::select_copy.int", select_copy_out);

}  // namespace kernels
}  // namespace ember
