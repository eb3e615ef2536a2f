// aten::squeeze.default / squeeze.dim (and their _copy variants): copies of contiguous data
// with size-1 dims removed.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// squeeze(Tensor self) -> Tensor
void squeeze_all_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 1);
  const Tensor& self = args[0]->tensor();
  int64_t sizes[kMaxDims];
  int n = 0;
  for (int i = 0; i < self.dim(); ++i)
    if (self.size(i) != 1) sizes[n++] = self.size(i);
  shape::view_copy_into(ctx, op, self, args[1]->tensor(), sizes, n);
}

// squeeze.dim(Tensor self, int dim) -> Tensor
void squeeze_dim_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  const Tensor& self = args[0]->tensor();
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), self.dim(), &dim)) return;
  int64_t sizes[kMaxDims];
  int n = 0;
  for (int i = 0; i < self.dim(); ++i)
    if (i != dim || self.size(i) != 1) sizes[n++] = self.size(i);
  shape::view_copy_into(ctx, op, self, args[2]->tensor(), sizes, n);
}

void squeeze_out(KernelContext& ctx, EValue** args, size_t num_args) {
  squeeze_all_impl("aten::squeeze", ctx, args, num_args);
}
void squeeze_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  squeeze_all_impl("aten::squeeze_copy", ctx, args, num_args);
}
void squeeze_dim_out(KernelContext& ctx, EValue** args, size_t num_args) {
  squeeze_dim_impl("aten::squeeze.dim", ctx, args, num_args);
}
void squeeze_copy_dim_out(KernelContext& ctx, EValue** args, size_t num_args) {
  squeeze_dim_impl("aten::squeeze_copy.dim", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::squeeze.default", squeeze_out);
EMBER_REGISTER_KERNEL("aten::squeeze.dim", squeeze_dim_out);
EMBER_REGISTER_KERNEL("aten::squeeze_copy.default", squeeze_copy_out);
EMBER_REGISTER_KERNEL("aten::squeeze_copy.dim", squeeze_copy_dim_out);

}  // namespace kernels
}  // namespace ember
