// aten::_reshape_alias.default / _reshape_alias_copy.default: reshape(size) whose strides are
// the contiguous ones (inputs are contiguous), so the bytes are copied as they are. Strides
// describing any other layout are handled like as_strided.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// _reshape_alias(Tensor self, SymInt[] size, SymInt[] stride) -> Tensor
void reshape_alias_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 1);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[3]->tensor();
  ArrayRef<int64_t> size = args[1]->int_list();
  ArrayRef<int64_t> stride = args[2]->int_list();
  EMBER_KCHECK(ctx, size.size == stride.size, "%s: size and stride lists differ in length", op);
  EMBER_KCHECK(ctx, size.size <= static_cast<size_t>(kMaxDims), "%s: too many dims", op);
  const int n = static_cast<int>(size.size);
  for (int i = 0; i < n; ++i)
    EMBER_KCHECK(ctx, size[i] >= 0 && stride[i] >= 0, "%s: negative size or stride", op);
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, size.data, n)) return;
  // Contiguous strides (ignoring size-1 dims): a plain copy.
  bool contiguous = true;
  int64_t expect = 1;
  for (int i = n - 1; i >= 0; --i) {
    if (size[i] != 1 && stride[i] != expect) contiguous = false;
    expect *= size[i];
  }
  if (out.numel() == 0) return;
  if (contiguous) {
    EMBER_KCHECK(ctx, self.numel() == out.numel(), "%s: input has %lld elements, output %lld", op,
                 static_cast<long long>(self.numel()), static_cast<long long>(out.numel()));
    shape::copy_bytes(self, out);
    return;
  }
  shape::StridedView v;
  for (int i = 0; i < n; ++i) v.push(size[i], stride[i]);
  int64_t lo, hi;
  EMBER_KCHECK(ctx, v.bounds(&lo, &hi) && lo >= 0 && hi < self.numel(),
               "%s: strides reach outside the input", op);
  EMBER_KCHECK(ctx, self.data() != out.data(), "%s: strided output cannot alias the input", op);
  shape::strided_gather(self.data(), v, out.data(), element_size(self.dtype()));
}

void reshape_alias_out(KernelContext& ctx, EValue** args, size_t num_args) {
  reshape_alias_impl("aten::_reshape_alias", ctx, args, num_args);
}
void reshape_alias_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  reshape_alias_impl("aten::_reshape_alias_copy", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::_reshape_alias.default", reshape_alias_out);
EMBER_REGISTER_KERNEL("aten::_reshape_alias_copy.default", reshape_alias_copy_out);

}  // namespace kernels
}  // namespace ember
