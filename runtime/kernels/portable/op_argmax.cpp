// aten::argmax.default: int64 index of the max along a dim, or in the flattened tensor when
// dim is None (first index on ties, NaN wins).
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

// argmax(Tensor self, int? dim=None, bool keepdim=False) -> Tensor
void argmax_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::argmax";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_OPT_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  const Tensor& in = args[0]->tensor();
  int64_t dim = -1;
  if (args[1]->is_int()) {
    if (!shape::wrap_dim(ctx, op, args[1]->to_int(), in.dim(), &dim)) return;
    if (in.dim() == 0) dim = -1;
  }
  reduce::arg_into<true>(ctx, op, in, dim, args[2]->to_bool(), nullptr, args[3]->tensor());
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::argmax.default", argmax_out);

}  // namespace kernels
}  // namespace ember
