// aten::norm.ScalarOpt_dim: p-norm over dims (p None = 2), same engine as linalg_vector_norm.
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

// norm.ScalarOpt_dim(Tensor self, Scalar? p, int[1] dim, bool keepdim=False) -> Tensor
void norm_scalaropt_dim_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::norm.ScalarOpt_dim";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 5);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_KCHECK(ctx, shape::is_scalar_arg(args, 1) || shape::is_none_arg(args, 1),
               "%s: p must be a scalar or None", op);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 2);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 4);
  const Tensor& in = args[0]->tensor();
  reduce::DimMask mask;
  if (!reduce::parse_dims(ctx, op, *args[2], in, true, &mask)) return;
  EMBER_KCHECK(ctx, !shape::overlaps(in, args[4]->tensor()), "%s: output overlaps the input", op);
  const double p = args[1]->is_none() ? 2.0 : args[1]->scalar_as_double();
  reduce::vector_norm(ctx, op, in, p, mask, args[3]->to_bool(), args[4]->tensor());
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::norm.ScalarOpt_dim", norm_scalaropt_dim_out);

}  // namespace kernels
}  // namespace ember
