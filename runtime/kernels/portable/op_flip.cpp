// aten::flip.default: reverses the order of elements along the given dims.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// flip(Tensor self, int[] dims) -> Tensor
void flip_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::flip";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[2]->tensor();
  ArrayRef<int64_t> dims = args[1]->int_list();
  const int nd = self.dim();
  bool flip[kMaxDims] = {false};
  for (size_t i = 0; i < dims.size; ++i) {
    int64_t d;
    if (!shape::wrap_dim(ctx, op, dims[i], nd, &d)) return;
    EMBER_KCHECK(ctx, !flip[d], "%s: dim %lld appears multiple times", op,
                 static_cast<long long>(d));
    flip[d] = true;
  }
  shape::StridedView v;
  for (int d = 0; d < nd; ++d) {
    int64_t n = self.size(d), st = self.stride(d);
    if (flip[d] && n > 1) {
      v.offset += (n - 1) * st;
      v.push(n, -st);
    } else {
      v.push(n, st);
    }
  }
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, self.sizes(), nd)) return;
  shape::gather_into(ctx, op, self, v, out);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::flip.default", flip_out);

}  // namespace kernels
}  // namespace ember
