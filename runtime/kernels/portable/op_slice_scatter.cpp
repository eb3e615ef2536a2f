// aten::slice_scatter.default: out = self with out.slice(dim, start, end, step) = src.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// slice_scatter(Tensor self, Tensor src, int dim=0, SymInt? start=None, SymInt? end=None,
//               SymInt step=1) -> Tensor
void slice_scatter_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::slice_scatter";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 7);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 1);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 2);
  EMBER_SHAPE_ARG_OPT_INT(ctx, op, args, 3);
  EMBER_SHAPE_ARG_OPT_INT(ctx, op, args, 4);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 5);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 6);
  const Tensor& self = args[0]->tensor();
  const Tensor& src = args[1]->tensor();
  const Tensor& out = args[6]->tensor();
  EMBER_KCHECK(ctx, self.dim() > 0, "%s: cannot slice a 0-d tensor", op);
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[2]->to_int(), self.dim(), &dim)) return;
  const int64_t step = args[5]->to_int();
  EMBER_KCHECK(ctx, step > 0, "%s: step must be positive", op);
  int64_t start, len;
  shape::clamp_slice(self.size(static_cast<int>(dim)), args[3]->is_int(),
                     args[3]->is_int() ? args[3]->to_int() : 0, args[4]->is_int(),
                     args[4]->is_int() ? args[4]->to_int() : 0, &start, &len, step);
  shape::StridedView v;
  int64_t sizes[kMaxDims];
  for (int d = 0; d < self.dim(); ++d) {
    sizes[d] = d == dim ? len : self.size(d);
    v.push(sizes[d], d == dim && len > 1 ? self.stride(d) * step : self.stride(d));
    if (d == dim) v.offset = start * self.stride(d);
  }
  EMBER_KCHECK(ctx, src.dtype() == self.dtype(), "%s: src dtype differs from self", op);
  char want[96];
  EMBER_KCHECK(ctx, shape::shape_is(src, sizes, self.dim()), "%s: src must have shape %s", op,
               shape::format_shape(want, sizeof(want), sizes, self.dim()));
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, self.sizes(), self.dim())) return;
  EMBER_KCHECK(ctx, self.data() == out.data() || !shape::overlaps(self, out),
               "%s: output partially overlaps self", op);
  EMBER_KCHECK(ctx, !shape::overlaps(src, out), "%s: output overlaps src", op);
  shape::copy_bytes(self, out);
  shape::strided_scatter(src.data(), v, out.data(), element_size(out.dtype()));
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::slice_scatter.default", slice_scatter_out);

}  // namespace kernels
}  // namespace ember
