// aten::sort.default / sort.stable: values and int64 indices sorted along a dim (NaN greatest;
// equal values keep ascending index order, i.e. always stable). In-place heap sort on the
// output slice, no scratch memory.
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

void sort_common(KernelContext& ctx, const char* op, EValue** args, int dim_arg, int desc_arg,
                 int values_arg) {
  const Tensor& in = args[0]->tensor();
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[dim_arg]->to_int(), in.dim(), &dim)) return;
  const int64_t n = in.dim() == 0 ? 1 : in.size(static_cast<int>(dim));
  reduce::sort_into(ctx, op, in, dim, n, args[desc_arg]->to_bool(), args[values_arg]->tensor(),
                    args[values_arg + 1]->tensor());
}

// sort(Tensor self, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)
void sort_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::sort";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 5);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 4);
  sort_common(ctx, op, args, 1, 2, 3);
}

// sort.stable(Tensor self, *, bool? stable, int dim=-1, bool descending=False)
void sort_stable_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::sort.stable";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 6);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_KCHECK(ctx, shape::is_bool_arg(args, 1) || shape::is_none_arg(args, 1),
               "%s: stable must be a bool or None", op);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 2);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 5);
  sort_common(ctx, op, args, 2, 3, 4);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::sort.default", sort_out);
EMBER_REGISTER_KERNEL("aten::sort.stable", sort_stable_out);

}  // namespace kernels
}  // namespace ember
