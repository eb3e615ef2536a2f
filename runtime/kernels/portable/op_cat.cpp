// aten::cat.default: concatenation along a dim. 1-d empty tensors are skipped (legacy PyTorch
// behaviour); inputs of other dtypes are converted to the output dtype (type promotion).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

bool skipped(const Tensor& t) {
  return t.dim() == 1 && t.size(0) == 0;
}

// cat(Tensor[] tensors, int dim=0) -> Tensor
void cat_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::cat";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR_LIST(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  ArrayRef<Tensor*> ts = args[0]->tensor_list();
  const Tensor& out = args[2]->tensor();
  EMBER_KCHECK(ctx, ts.size > 0, "%s: expects a non-empty list of tensors", op);
  const Tensor* ref = nullptr;
  for (size_t i = 0; i < ts.size; ++i) {
    EMBER_KCHECK(ctx, ts[i] != nullptr && shape::tensor_is_sane(*ts[i]),
                 "%s: tensor %zu is not a valid tensor", op, i);
    EMBER_KCHECK(ctx, ts[i]->dim() > 0, "%s: zero-dimensional tensor %zu cannot be concatenated",
                 op, i);
    if (ref == nullptr && !skipped(*ts[i])) ref = ts[i];
  }
  EMBER_KCHECK(ctx, shape::convertible_dtype(out.dtype()), "%s: unsupported output dtype", op);
  if (ref == nullptr) {  // every input is a legacy empty tensor: the result is one too
    int64_t zero = 0;
    if (!shape::check_out_shape(ctx, op, out, &zero, 1)) return;
    return;
  }
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), ref->dim(), &dim)) return;
  const int nd = ref->dim();
  int64_t cat_size = 0;
  for (size_t i = 0; i < ts.size; ++i) {
    const Tensor& t = *ts[i];
    if (skipped(t)) continue;
    EMBER_KCHECK(ctx, t.dim() == nd, "%s: tensor %zu has %d dims, expected %d", op, i, t.dim(), nd);
    for (int d = 0; d < nd; ++d)
      EMBER_KCHECK(ctx, d == dim || t.size(d) == ref->size(d),
                   "%s: tensor %zu has size %lld at dim %d, expected %lld", op, i,
                   static_cast<long long>(t.size(d)), d, static_cast<long long>(ref->size(d)));
    EMBER_KCHECK(ctx, shape::convertible_dtype(t.dtype()) || t.dtype() == out.dtype(),
                 "%s: unsupported dtype of tensor %zu", op, i);
    EMBER_KCHECK(ctx, !shape::overlaps(t, out), "%s: output overlaps input %zu", op, i);
    cat_size += t.size(static_cast<int>(dim));
  }
  int64_t sizes[kMaxDims];
  for (int d = 0; d < nd; ++d) sizes[d] = d == dim ? cat_size : ref->size(d);
  if (!shape::check_out_shape(ctx, op, out, sizes, nd)) return;
  if (out.numel() == 0) return;
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < dim; ++d) outer *= sizes[d];
  for (int d = static_cast<int>(dim) + 1; d < nd; ++d) inner *= sizes[d];
  const int64_t out_row = cat_size * inner;
  const size_t es = element_size(out.dtype());
  int64_t col = 0;  // element offset of the current input inside an output row
  for (size_t i = 0; i < ts.size; ++i) {
    const Tensor& t = *ts[i];
    if (skipped(t)) continue;
    const int64_t chunk = t.size(static_cast<int>(dim)) * inner;
    if (chunk > 0) {
      if (t.dtype() == out.dtype()) {
        const char* src = static_cast<const char*>(t.data());
        char* dst = static_cast<char*>(out.data()) + col * es;
        for (int64_t o = 0; o < outer; ++o)
          memcpy(dst + o * out_row * es, src + o * chunk * es, static_cast<size_t>(chunk) * es);
      } else {
        for (int64_t o = 0; o < outer; ++o)
          shape::convert_elems(t, o * chunk, out, o * out_row + col, chunk);
      }
    }
    col += chunk;
  }
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::cat.default", cat_out);

}  // namespace kernels
}  // namespace ember
