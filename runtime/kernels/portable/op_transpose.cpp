// aten::transpose.int / transpose_copy.int: two dims swapped, materialized.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// transpose.int(Tensor self, int dim0, int dim1) -> Tensor
void transpose_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[3]->tensor();
  int64_t d0, d1;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), self.dim(), &d0)) return;
  if (!shape::wrap_dim(ctx, op, args[2]->to_int(), self.dim(), &d1)) return;
  shape::StridedView v;
  int64_t sizes[kMaxDims];
  for (int i = 0; i < self.dim(); ++i) {
    int src = i == d0 ? static_cast<int>(d1) : i == d1 ? static_cast<int>(d0) : i;
    sizes[i] = self.size(src);
    v.push(sizes[i], self.stride(src));
  }
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, sizes, self.dim())) return;
  shape::gather_into(ctx, op, self, v, out);
}

void transpose_out(KernelContext& ctx, EValue** args, size_t num_args) {
  transpose_impl("aten::transpose.int", ctx, args, num_args);
}
void transpose_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  transpose_impl("aten::transpose_copy.int", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::transpose.int", transpose_out);
EMBER_REGISTER_KERNEL("aten::transpose_copy.int", transpose_copy_out);

}  // namespace kernels
}  // namespace ember
