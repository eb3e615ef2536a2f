// aten::permute.default / permute_copy.default: a reordering of the dims, materialized.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// permute(Tensor self, int[] dims) -> Tensor
void permute_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[2]->tensor();
  ArrayRef<int64_t> dims = args[1]->int_list();
  const int nd = self.dim();
  EMBER_KCHECK(ctx, dims.size == static_cast<size_t>(nd), "%s: %zu dims given for a %d-d tensor",
               op, dims.size, nd);
  bool seen[kMaxDims] = {false};
  shape::StridedView v;
  int64_t sizes[kMaxDims];
  for (int i = 0; i < nd; ++i) {
    int64_t d;
    if (!shape::wrap_dim(ctx, op, dims[i], nd, &d)) return;
    EMBER_KCHECK(ctx, !seen[d], "%s: dim %lld repeated", op, static_cast<long long>(d));
    seen[d] = true;
    sizes[i] = self.size(static_cast<int>(d));
    v.push(sizes[i], self.stride(static_cast<int>(d)));
  }
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, sizes, nd)) return;
  shape::gather_into(ctx, op, self, v, out);
}

void permute_out(KernelContext& ctx, EValue** args, size_t num_args) {
  permute_impl("aten::permute", ctx, args, num_args);
}
void permute_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  permute_impl("aten::permute_copy", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::permute.default", permute_out);
EMBER_REGISTER_KERNEL("aten::permute_copy.default", permute_copy_out);

}  // namespace kernels
}  // namespace ember
