// aten::narrow.default / narrow_copy.default: `length` entries from `start` along one dim.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// narrow(Tensor self, int dim, int start, int length) -> Tensor
void narrow_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 5);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 2);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 4);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[4]->tensor();
  EMBER_KCHECK(ctx, self.dim() > 0, "%s: cannot narrow a 0-d tensor", op);
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), self.dim(), &dim)) return;
  int64_t size = self.size(static_cast<int>(dim));
  int64_t start = args[2]->to_int(), length = args[3]->to_int();
  EMBER_KCHECK(ctx, start >= -size && start <= size, "%s: start %lld out of range", op,
               static_cast<long long>(start));
  if (start < 0) start += size;
  EMBER_KCHECK(ctx, length >= 0 && length <= size - start,
               "%s: start %lld + length %lld exceeds size %lld", op, static_cast<long long>(start),
               static_cast<long long>(length), static_cast<long long>(size));
  shape::StridedView v;
  int64_t sizes[kMaxDims];
  for (int i = 0; i < self.dim(); ++i) {
    sizes[i] = i == dim ? length : self.size(i);
    v.push(sizes[i], self.stride(i));
    if (i == dim) v.offset = start * self.stride(i);
  }
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, sizes, self.dim())) return;
  shape::gather_into(ctx, op, self, v, out);
}

void narrow_out(KernelContext& ctx, EValue** args, size_t num_args) {
  narrow_impl("aten::narrow", ctx, args, num_args);
}
void narrow_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  narrow_impl("aten::narrow_copy", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::narrow.default", narrow_out);
EMBER_REGISTER_KERNEL("aten::narrow_copy.default", narrow_copy_out);

}  // namespace kernels
}  // namespace ember
