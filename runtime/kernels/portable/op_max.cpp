// aten::max.dim (values and int64 indices along a dim; first index on ties, NaN wins) and
// aten::max.default (full reduction of a non-empty tensor).
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

// max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)
void max_dim_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::max.dim";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 5);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 4);
  const Tensor& in = args[0]->tensor();
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), in.dim(), &dim)) return;
  reduce::arg_into<true>(ctx, op, in, in.dim() == 0 ? 0 : dim, args[2]->to_bool(),
                         &args[3]->tensor(), args[4]->tensor());
}

// max(Tensor self) -> Tensor
void max_default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::max";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 1);
  const Tensor& in = args[0]->tensor();
  EMBER_KCHECK(ctx, in.numel() > 0, "%s: cannot reduce an empty tensor (no identity)", op);
  reduce::DimMask mask;
  mask.all = true;
  for (int i = 0; i < in.dim(); ++i) mask.reduced[i] = true;
  reduce::minmax_into<true>(ctx, op, in, mask, false, args[1]->tensor());
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::max.dim", max_dim_out);
EMBER_REGISTER_KERNEL("aten::max.default", max_default_out);

}  // namespace kernels
}  // namespace ember
