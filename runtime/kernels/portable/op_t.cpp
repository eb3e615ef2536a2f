// aten::t.default / t_copy.default: transpose of a tensor with at most 2 dims.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// t(Tensor self) -> Tensor
void t_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 1);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[1]->tensor();
  EMBER_KCHECK(ctx, self.dim() <= 2, "%s: expects a tensor with <= 2 dims, got %d", op, self.dim());
  shape::StridedView v;
  int64_t sizes[2];
  for (int i = 0; i < self.dim(); ++i) {
    int src = self.dim() - 1 - i;
    sizes[i] = self.size(src);
    v.push(sizes[i], self.stride(src));
  }
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, sizes, self.dim())) return;
  shape::gather_into(ctx, op, self, v, out);
}

void t_out(KernelContext& ctx, EValue** args, size_t num_args) {
  t_impl("aten::t", ctx, args, num_args);
}
void t_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  t_impl("aten::t_copy", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::t.default", t_out);
EMBER_REGISTER_KERNEL("aten::t_copy.default", t_copy_out);

}  // namespace kernels
}  // namespace ember
