// aten::stack.default: equally shaped tensors joined along a new dim (converted to the output
// dtype when they differ).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// stack(Tensor[] tensors, int dim=0) -> Tensor
void stack_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::stack";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR_LIST(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  ArrayRef<Tensor*> ts = args[0]->tensor_list();
  const Tensor& out = args[2]->tensor();
  EMBER_KCHECK(ctx, ts.size > 0, "%s: expects a non-empty list of tensors", op);
  for (size_t i = 0; i < ts.size; ++i)
    EMBER_KCHECK(ctx, ts[i] != nullptr && shape::tensor_is_sane(*ts[i]),
                 "%s: tensor %zu is not a valid tensor", op, i);
  const Tensor& ref = *ts[0];
  const int nd = ref.dim();
  EMBER_KCHECK(ctx, nd < kMaxDims, "%s: result would exceed %d dims", op, kMaxDims);
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), nd + 1, &dim)) return;
  EMBER_KCHECK(ctx, shape::convertible_dtype(out.dtype()), "%s: unsupported output dtype", op);
  for (size_t i = 0; i < ts.size; ++i) {
    EMBER_KCHECK(ctx, ts[i]->same_shape(ref), "%s: tensor %zu has a different shape", op, i);
    EMBER_KCHECK(ctx, shape::convertible_dtype(ts[i]->dtype()) || ts[i]->dtype() == out.dtype(),
                 "%s: unsupported dtype of tensor %zu", op, i);
    EMBER_KCHECK(ctx, !shape::overlaps(*ts[i], out), "%s: output overlaps input %zu", op, i);
  }
  int64_t sizes[kMaxDims];
  int n = 0;
  for (int d = 0; d <= nd; ++d) {
    if (d == dim) sizes[n++] = static_cast<int64_t>(ts.size);
    if (d < nd) sizes[n++] = ref.size(d);
  }
  if (!shape::check_out_shape(ctx, op, out, sizes, n)) return;
  if (out.numel() == 0) return;
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < dim; ++d) outer *= ref.size(d);
  for (int d = static_cast<int>(dim); d < nd; ++d) inner *= ref.size(d);
  const int64_t out_row = static_cast<int64_t>(ts.size) * inner;
  const size_t es = element_size(out.dtype());
  for (size_t i = 0; i < ts.size; ++i) {
    const Tensor& t = *ts[i];
    const int64_t col = static_cast<int64_t>(i) * inner;
    if (t.dtype() == out.dtype()) {
      const char* src = static_cast<const char*>(t.data());
      char* dst = static_cast<char*>(out.data()) + col * es;
      for (int64_t o = 0; o < outer; ++o)
        memcpy(dst + o * out_row * es, src + o * inner * es, static_cast<size_t>(inner) * es);
    } else {
      for (int64_t o = 0; o < outer; ++o)
        shape::convert_elems(t, o * inner, out, o * out_row + col, inner);
    }
  }
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::stack.default", stack_out);

}  // namespace kernels
}  // namespace ember
