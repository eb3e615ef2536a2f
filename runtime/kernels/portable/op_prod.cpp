// aten::prod.dim_int / prod.default: products in double (floating outputs) or int64.
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

// prod.dim_int(Tensor self, int dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor
void prod_dim_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::prod.dim_int";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 5);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 4);
  if (!reduce::check_opt_dtype_arg(ctx, op, args[3])) return;
  const Tensor& in = args[0]->tensor();
  reduce::DimMask mask;
  if (!reduce::parse_dims(ctx, op, *args[1], in, false, &mask)) return;
  reduce::prod_into(ctx, op, in, mask, args[2]->to_bool(), args[4]->tensor());
}

// prod(Tensor self, *, ScalarType? dtype=None) -> Tensor
void prod_default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::prod";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  if (!reduce::check_opt_dtype_arg(ctx, op, args[1])) return;
  const Tensor& in = args[0]->tensor();
  reduce::prod_into(ctx, op, in, reduce::all_dims(in), false, args[2]->tensor());
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::prod.dim_int", prod_dim_out);
EMBER_REGISTER_KERNEL("aten::prod.default", prod_default_out);

}  // namespace kernels
}  // namespace ember
