// aten::logsumexp.default: log(sum(exp(x))) over dims, stabilized by the max (two passes, in
// double). An empty dim list reduces every dim.
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

// logsumexp(Tensor self, int[1] dim, bool keepdim=False) -> Tensor
void logsumexp_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::logsumexp";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 1);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  const Tensor& in = args[0]->tensor();
  const Tensor& out = args[3]->tensor();
  reduce::DimMask mask;
  if (!reduce::parse_dims(ctx, op, *args[1], in, true, &mask)) return;
  const bool keepdim = args[2]->to_bool();
  if (!reduce::check_reduction(ctx, op, in, mask, keepdim, out)) return;
  EMBER_KCHECK(ctx, is_floating(out.dtype()), "%s: output must be floating, got %s", op,
               scalar_type_name(out.dtype()));
  reduce::Plan plan = reduce::make_plan(in, mask);
  EMBER_REDUCE_DISPATCH(
      in.dtype(), reduce::run_reduction(in.data_as<const T>(), plan, reduce::LogSumExpOp<T>{&out}));
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::logsumexp.default", logsumexp_out);

}  // namespace kernels
}  // namespace ember
