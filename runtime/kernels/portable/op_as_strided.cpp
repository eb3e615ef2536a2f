// aten::as_strided.default / as_strided_copy.default: reads the contiguous input through the
// given sizes, strides and storage offset (bounds-checked against the input's elements).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// as_strided(Tensor self, SymInt[] size, SymInt[] stride, SymInt? storage_offset=None)
void as_strided_impl(const char* op, KernelContext& ctx, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 5);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 1);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 2);
  EMBER_SHAPE_ARG_OPT_INT(ctx, op, args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 4);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[4]->tensor();
  ArrayRef<int64_t> size = args[1]->int_list();
  ArrayRef<int64_t> stride = args[2]->int_list();
  EMBER_KCHECK(ctx, size.size == stride.size, "%s: %zu sizes but %zu strides", op, size.size,
               stride.size);
  EMBER_KCHECK(ctx, size.size <= static_cast<size_t>(kMaxDims), "%s: too many dims", op);
  const int64_t offset = args[3]->is_int() ? args[3]->to_int() : 0;
  EMBER_KCHECK(ctx, offset >= 0, "%s: negative storage offset", op);
  shape::StridedView v;
  v.offset = offset;
  for (size_t i = 0; i < size.size; ++i) {
    EMBER_KCHECK(ctx, size[i] >= 0 && size[i] < (int64_t(1) << 40), "%s: invalid size %lld", op,
                 static_cast<long long>(size[i]));
    EMBER_KCHECK(ctx, stride[i] >= 0 && stride[i] < (int64_t(1) << 40),
                 "%s: invalid stride %lld (negative strides are not supported)", op,
                 static_cast<long long>(stride[i]));
    v.push(size[i], stride[i]);
  }
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, size.data, static_cast<int>(size.size))) return;
  shape::gather_into(ctx, op, self, v, out);
}

void as_strided_out(KernelContext& ctx, EValue** args, size_t num_args) {
  as_strided_impl("aten::as_strided", ctx, args, num_args);
}
void as_strided_copy_out(KernelContext& ctx, EValue** args, size_t num_args) {
  as_strided_impl("aten::as_strided_copy", ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::as_strided.default", as_strided_out);
EMBER_REGISTER_KERNEL("aten::as_strided_copy.default", as_strided_copy_out);

}  // namespace kernels
}  // namespace ember
