// aten::amin.default: min over a list of dims (empty list: all dims); NaN propagates.
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

// amin(Tensor self, int[1] dim=[], bool keepdim=False) -> Tensor
void amin_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::amin";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 1);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  const Tensor& in = args[0]->tensor();
  reduce::DimMask mask;
  if (!reduce::parse_dims(ctx, op, *args[1], in, true, &mask)) return;
  reduce::minmax_into<false>(ctx, op, in, mask, args[2]->to_bool(), args[3]->tensor());
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::amin.default", amin_out);

}  // namespace kernels
}  // namespace ember
