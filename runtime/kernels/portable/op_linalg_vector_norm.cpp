// aten::linalg_vector_norm.default: p-norms (inf, -inf, 0, 1, 2, any p) over dims, in double.
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

// linalg_vector_norm(Tensor self, Scalar ord=2, int[1]? dim=None, bool keepdim=False, *,
//                    ScalarType? dtype=None) -> Tensor
void linalg_vector_norm_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::linalg_vector_norm";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 6);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_SCALAR(ctx, op, args, 1);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 5);
  if (!reduce::check_opt_dtype_arg(ctx, op, args[4])) return;
  EMBER_KCHECK(ctx, args[2] != nullptr, "%s: missing dim", op);
  const Tensor& in = args[0]->tensor();
  reduce::DimMask mask;
  if (!reduce::parse_dims(ctx, op, *args[2], in, true, &mask)) return;
  EMBER_KCHECK(ctx, !shape::overlaps(in, args[5]->tensor()), "%s: output overlaps the input", op);
  reduce::vector_norm(ctx, op, in, args[1]->scalar_as_double(), mask, args[3]->to_bool(),
                      args[5]->tensor());
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::linalg_vector_norm.default", linalg_vector_norm_out);

}  // namespace kernels
}  // namespace ember
