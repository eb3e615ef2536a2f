// aten::gather.default: out[i][j][k] = self[i][index[i][j][k]][k] (for dim = 1).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

template <typename T>
void gather_impl(const Tensor& self, int dim, const Tensor& index, const Tensor& out) {
  const T* src = self.data_as<const T>();
  T* dst = out.data_as<T>();
  const int nd = index.dim();
  const int64_t sdim_stride = nd == 0 ? 1 : self.stride(dim);
  const int64_t total = index.numel();
  if (nd == 0) {
    int64_t k = shape::load_index(index, 0);
    dst[0] = src[k];
    return;
  }
  // Walk index row by row (last dim innermost).
  const int last = nd - 1;
  const int64_t w = index.size(last);
  int64_t idx[kMaxDims] = {0};
  int64_t base = 0;  // self offset of the row start, excluding `dim`
  const int64_t slast = self.stride(last);
  for (int64_t o = 0; o < total; o += w) {
    for (int64_t j = 0; j < w; ++j) {
      int64_t k = shape::load_index(index, o + j);
      int64_t off = base + k * sdim_stride + (last == dim ? 0 : j * slast);
      dst[o + j] = src[off];
    }
    for (int d = last - 1; d >= 0; --d) {
      if (d != dim) base += self.stride(d);
      if (++idx[d] < index.size(d)) break;
      if (d != dim) base -= self.stride(d) * index.size(d);
      idx[d] = 0;
    }
  }
}

// gather(Tensor self, int dim, Tensor index, *, bool sparse_grad=False) -> Tensor
void gather_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::gather";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 5);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 4);
  const Tensor& self = args[0]->tensor();
  const Tensor& index = args[2]->tensor();
  const Tensor& out = args[4]->tensor();
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), self.dim(), &dim)) return;
  // PyTorch accepts any dtype for an empty index (nothing is read through it).
  EMBER_KCHECK(ctx, shape::is_index_dtype(index.dtype()) || index.numel() == 0,
               "%s: index must be int64 or int32", op);
  const int nd = self.dim() == 0 ? 0 : self.dim();
  const bool empty = index.numel() == 0;  // PyTorch skips the shape checks then
  EMBER_KCHECK(ctx,
               empty || index.dim() == nd || (nd == 0 && index.dim() <= 1 && index.numel() == 1),
               "%s: index has %d dims, self has %d", op, index.dim(), self.dim());
  if (!empty && index.dim() == nd) {
    for (int d = 0; d < nd; ++d)
      EMBER_KCHECK(ctx, d == dim || index.size(d) <= self.size(d),
                   "%s: index size %lld exceeds self size %lld at dim %d", op,
                   static_cast<long long>(index.size(d)), static_cast<long long>(self.size(d)), d);
  }
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, index.sizes(), index.dim())) return;
  EMBER_KCHECK(ctx, !shape::overlaps(self, out) && !shape::overlaps(index, out),
               "%s: output overlaps an input", op);
  const int64_t n = nd == 0 ? 1 : self.size(static_cast<int>(dim));
  const int64_t total = index.numel();
  for (int64_t i = 0; i < total; ++i) {
    int64_t k = shape::load_index(index, i);
    EMBER_KCHECK(ctx, k >= 0 && k < n, "%s: index %lld out of range for size %lld", op,
                 static_cast<long long>(k), static_cast<long long>(n));
  }
  if (total == 0) return;
  if (index.dim() != nd) {  // 0-d self with a 1-element 1-d index
    shape::copy_bytes(self, out);
    return;
  }
  EMBER_SHAPE_DISPATCH_ELEM(element_size(self.dtype()),
                            gather_impl<T>(self, static_cast<int>(dim), index, out));
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::gather.default", gather_out);

}  // namespace kernels
}  // namespace ember
