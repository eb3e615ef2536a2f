// aten::index_select.default: rows of `self` along `dim` picked by a 1-d (or 0-d) index.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// index_select(Tensor self, int dim, Tensor index) -> Tensor
void index_select_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::index_select";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  const Tensor& self = args[0]->tensor();
  const Tensor& index = args[2]->tensor();
  const Tensor& out = args[3]->tensor();
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), self.dim(), &dim)) return;
  EMBER_KCHECK(ctx, shape::is_index_dtype(index.dtype()), "%s: index must be int64 or int32", op);
  EMBER_KCHECK(ctx, index.dim() <= 1, "%s: index must be 0-d or 1-d, got %d-d", op, index.dim());
  const int64_t ni = index.numel();
  int64_t sizes[kMaxDims];
  for (int d = 0; d < self.dim(); ++d) sizes[d] = d == dim ? ni : self.size(d);
  if (self.dim() == 0)
    EMBER_KCHECK(ctx, ni == 1, "%s: index of a 0-d tensor must have one element", op);
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, sizes, self.dim())) return;
  EMBER_KCHECK(ctx, !shape::overlaps(self, out) && !shape::overlaps(index, out),
               "%s: output overlaps an input", op);
  const int64_t n = self.dim() == 0 ? 1 : self.size(static_cast<int>(dim));
  for (int64_t i = 0; i < ni; ++i) {
    int64_t k = shape::load_index(index, i);
    EMBER_KCHECK(ctx, k >= 0 && k < n, "%s: index %lld out of range for size %lld", op,
                 static_cast<long long>(k), static_cast<long long>(n));
  }
  if (out.numel() == 0) return;
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < dim; ++d) outer *= self.size(d);
  for (int d = static_cast<int>(dim) + 1; d < self.dim(); ++d) inner *= self.size(d);
  const size_t es = element_size(self.dtype());
  const size_t row = static_cast<size_t>(inner) * es;
  const char* src = static_cast<const char*>(self.data());
  char* dst = static_cast<char*>(out.data());
  for (int64_t o = 0; o < outer; ++o) {
    const char* sbase = src + o * n * static_cast<int64_t>(row);
    for (int64_t i = 0; i < ni; ++i) {
      int64_t k = shape::load_index(index, i);
      memcpy(dst, sbase + k * static_cast<int64_t>(row), row);
      dst += row;
    }
  }
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::index_select.default", index_select_out);

}  // namespace kernels
}  // namespace ember
