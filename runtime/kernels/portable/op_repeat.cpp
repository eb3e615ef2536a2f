// aten::repeat.default: tiles the input `repeats[i]` times along each dim.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// repeat(Tensor self, SymInt[] repeats) -> Tensor
void repeat_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::repeat";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[2]->tensor();
  ArrayRef<int64_t> reps = args[1]->int_list();
  EMBER_KCHECK(ctx, reps.size >= static_cast<size_t>(self.dim()),
               "%s: %zu repeats given for a %d-d tensor", op, reps.size, self.dim());
  EMBER_KCHECK(ctx, reps.size <= static_cast<size_t>(kMaxDims), "%s: too many dims", op);
  const int n = static_cast<int>(reps.size);
  const int lead = n - self.dim();
  // Output dim i of size r*s is walked as (r, s): stride 0 over the repeats.
  shape::StridedView v;
  int64_t sizes[kMaxDims];
  for (int i = 0; i < n; ++i) {
    EMBER_KCHECK(ctx, reps[i] >= 0, "%s: negative repeat %lld", op,
                 static_cast<long long>(reps[i]));
    int64_t s = i < lead ? 1 : self.size(i - lead);
    int64_t st = i < lead ? 0 : self.stride(i - lead);
    EMBER_KCHECK(ctx, s == 0 || reps[i] <= (int64_t(1) << 40) / s, "%s: size overflows", op);
    sizes[i] = reps[i] * s;
    v.push(reps[i], 0);
    v.push(s, st);
  }
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, sizes, n)) return;
  shape::gather_into(ctx, op, self, v, out);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::repeat.default", repeat_out);

}  // namespace kernels
}  // namespace ember
