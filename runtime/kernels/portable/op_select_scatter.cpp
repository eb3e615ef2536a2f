// aten::select_scatter.default: out = self with out.select(dim, index) = src.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// select_scatter(Tensor self, Tensor src, int dim, int index) -> Tensor
void select_scatter_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::select_scatter";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 5);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 1);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 2);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 4);
  const Tensor& self = args[0]->tensor();
  const Tensor& src = args[1]->tensor();
  const Tensor& out = args[4]->tensor();
  EMBER_KCHECK(ctx, self.dim() > 0, "%s: cannot select from a 0-d tensor", op);
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[2]->to_int(), self.dim(), &dim)) return;
  const int64_t size = self.size(static_cast<int>(dim));
  int64_t index = args[3]->to_int();
  EMBER_KCHECK(ctx, index >= -size && index < size, "%s: index %lld out of range for size %lld", op,
               static_cast<long long>(index), static_cast<long long>(size));
  if (index < 0) index += size;
  shape::StridedView v;
  int64_t sizes[kMaxDims];
  int n = 0;
  for (int d = 0; d < self.dim(); ++d) {
    if (d == dim) {
      v.offset = index * self.stride(d);
      continue;
    }
    sizes[n++] = self.size(d);
    v.push(self.size(d), self.stride(d));
  }
  EMBER_KCHECK(ctx, src.dtype() == self.dtype(), "%s: src dtype differs from self", op);
  char want[96];
  EMBER_KCHECK(ctx, shape::shape_is(src, sizes, n), "%s: src must have shape %s", op,
               shape::format_shape(want, sizeof(want), sizes, n));
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, self.sizes(), self.dim())) return;
  EMBER_KCHECK(ctx, self.data() == out.data() || !shape::overlaps(self, out),
               "%s: output partially overlaps self", op);
  EMBER_KCHECK(ctx, !shape::overlaps(src, out), "%s: output overlaps src", op);
  shape::copy_bytes(self, out);
  shape::strided_scatter(src.data(), v, out.data(), element_size(out.dtype()));
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::select_scatter.default", select_scatter_out);

}  // namespace kernels
}  // namespace ember
