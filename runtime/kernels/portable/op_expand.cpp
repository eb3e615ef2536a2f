// aten::expand.default / expand_copy.default: a broadcast copy.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// expand(Tensor self, SymInt[] size, *, bool implicit=False) -> Tensor
void expand_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 1);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[3]->tensor();
  ArrayRef<int64_t> size = args[1]->int_list();
  EMBER_KCHECK(ctx, size.size >= static_cast<size_t>(self.dim()),
               "%s: %zu sizes given for a %d-d tensor", op, size.size, self.dim());
  EMBER_KCHECK(ctx, size.size <= static_cast<size_t>(kMaxDims), "%s: too many dims", op);
  const int n = static_cast<int>(size.size);
  const int lead = n - self.dim();
  shape::StridedView v;
  int64_t sizes[kMaxDims];
  for (int i = 0; i < n; ++i) {
    int64_t s = size[i];
    if (i < lead) {
      EMBER_KCHECK(ctx, s >= 0, "%s: size %lld invalid for a new leading dim", op,
                   static_cast<long long>(s));
      sizes[i] = s;
      v.push(s, 0);
      continue;
    }
    int j = i - lead;
    int64_t have = self.size(j);
    if (s == -1) s = have;
    EMBER_KCHECK(ctx, s >= 0 && (have == s || have == 1),
                 "%s: cannot expand dim %d of size %lld to %lld", op, j,
                 static_cast<long long>(have), static_cast<long long>(s));
    sizes[i] = s;
    v.push(s, have == s ? self.stride(j) : 0);
  }
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, sizes, n)) return;
  shape::gather_into(ctx, op, self, v, out);
}

void expand_out(KernelContext& ctx, EValue** args, size_t num_args) {
  expand_impl("aten::expand", ctx, args, num_args);
}
void expand_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  expand_impl("aten::expand_copy", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::expand.default", expand_out);
EMBER_REGISTER_KERNEL("aten::expand_copy.default", expand_copy_out);

}  // namespace kernels
}  // namespace ember
