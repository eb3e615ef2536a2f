// aten::topk.default: the k largest (or smallest) entries along a dim with their int64 indices,
// best first (NaN counts as the largest; equal values by ascending index). A size-k heap kept
// in the output slice: O(n log k) and no scratch memory. Results are always sorted.
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

// topk(Tensor self, int k, int dim=-1, bool largest=True, bool sorted=True)
//     -> (Tensor values, Tensor indices)
void topk_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::topk";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 7);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 2);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 3);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 5);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 6);
  const Tensor& in = args[0]->tensor();
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[2]->to_int(), in.dim(), &dim)) return;
  const int64_t n = in.dim() == 0 ? 1 : in.size(static_cast<int>(dim));
  const int64_t k = args[1]->to_int();
  EMBER_KCHECK(ctx, k >= 0 && k <= n, "%s: k %lld out of range for a dim of size %lld", op,
               static_cast<long long>(k), static_cast<long long>(n));
  reduce::sort_into(ctx, op, in, dim, k, args[3]->to_bool(), args[5]->tensor(), args[6]->tensor());
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::topk.default", topk_out);

}  // namespace kernels
}  // namespace ember
