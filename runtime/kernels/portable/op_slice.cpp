// aten::slice.Tensor / slice_copy.Tensor: a strided range along one dim, materialized.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// slice.Tensor(Tensor self, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1)
void slice_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 6);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_OPT_INT(ctx, op, args, 2);
  EMBER_SHAPE_ARG_OPT_INT(ctx, op, args, 3);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 5);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[5]->tensor();
  EMBER_KCHECK(ctx, self.dim() > 0, "%s: cannot slice a 0-d tensor", op);
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), self.dim(), &dim)) return;
  int64_t step = args[4]->to_int();
  EMBER_KCHECK(ctx, step > 0, "%s: step must be positive, got %lld", op,
               static_cast<long long>(step));
  int64_t start, len;
  shape::clamp_slice(self.size(static_cast<int>(dim)), args[2]->is_int(),
                     args[2]->is_int() ? args[2]->to_int() : 0, args[3]->is_int(),
                     args[3]->is_int() ? args[3]->to_int() : 0, &start, &len, step);
  shape::StridedView v;
  int64_t sizes[kMaxDims];
  for (int i = 0; i < self.dim(); ++i) {
    if (i == dim) {
      sizes[i] = len;
      v.push(len, len > 1 ? self.stride(i) * step : self.stride(i));
      v.offset = start * self.stride(i);
    } else {
      sizes[i] = self.size(i);
      v.push(sizes[i], self.stride(i));
    }
  }
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, sizes, self.dim())) return;
  shape::gather_into(ctx, op, self, v, out);
}

void slice_out(KernelContext& ctx, EValue** args, size_t num_args) {
  slice_impl("aten::slice.Tensor", ctx, args, num_args);
}
void slice_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  slice_impl("aten::slice_copy.Tensor", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::slice.Tensor", slice_out);
EMBER_REGISTER_KERNEL("aten::slice_copy.Tensor", slice_copy_out);

}  // namespace kernels
}  // namespace ember
