// aten::mean.dim / mean.default: the sum (accumulated in double) divided by the count. The
// optional dtype argument is reflected in the (floating) output dtype fixed at export.
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

// mean.dim(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None)
void mean_dim_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::mean.dim";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 5);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 4);
  if (!reduce::check_opt_dtype_arg(ctx, op, args[3])) return;
  const Tensor& in = args[0]->tensor();
  reduce::DimMask mask;
  EMBER_KCHECK(ctx, args[1] != nullptr, "%s: missing dim", op);
  if (!reduce::parse_dims(ctx, op, *args[1], in, true, &mask)) return;
  reduce::sum_into(ctx, op, in, mask, args[2]->to_bool(), args[4]->tensor(), true);
}

// mean(Tensor self, *, ScalarType? dtype=None) -> Tensor
void mean_default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::mean";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  if (!reduce::check_opt_dtype_arg(ctx, op, args[1])) return;
  const Tensor& in = args[0]->tensor();
  reduce::DimMask mask;
  mask.all = true;
  for (int i = 0; i < in.dim(); ++i) mask.reduced[i] = true;
  reduce::sum_into(ctx, op, in, mask, false, args[2]->tensor(), true);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::mean.dim", mean_dim_out);
EMBER_REGISTER_KERNEL("aten::mean.default", mean_default_out);

}  // namespace kernels
}  // namespace ember
