// aten::any.dim / any.default: logical any of nonzero elements; bool output (uint8 for
// uint8 inputs, as in PyTorch).
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

// any.dim(Tensor self, int dim, bool keepdim=False) -> Tensor
void any_dim_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::any.dim";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  const Tensor& in = args[0]->tensor();
  reduce::DimMask mask;
  if (!reduce::parse_dims(ctx, op, *args[1], in, false, &mask)) return;
  reduce::any_all_into<true>(ctx, op, in, mask, args[2]->to_bool(), args[3]->tensor());
}

// any(Tensor self) -> Tensor
void any_default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::any";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 1);
  const Tensor& in = args[0]->tensor();
  reduce::any_all_into<true>(ctx, op, in, reduce::all_dims(in), false, args[1]->tensor());
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::any.dim", any_dim_out);
EMBER_REGISTER_KERNEL("aten::any.default", any_default_out);

}  // namespace kernels
}  // namespace ember
