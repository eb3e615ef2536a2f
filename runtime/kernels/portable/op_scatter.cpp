// aten::scatter.src / scatter.value: out = self, then out[..index..] = src (or value) along dim.
// With duplicate indices the last write wins (PyTorch leaves the order unspecified).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// Writes src[pos] (or the single element of `src` when src_scalar) to out for every index pos.
template <typename T>
void scatter_impl(const Tensor& out, int dim, const Tensor& index, const T* src,
                  const int64_t* src_strides, bool src_scalar) {
  T* dst = out.data_as<T>();
  const int nd = index.dim();
  if (nd == 0) {
    int64_t k = shape::load_index(index, 0);
    dst[k] = src[0];
    return;
  }
  int64_t idx[kMaxDims] = {0};
  const int64_t total = index.numel();
  for (int64_t p = 0; p < total; ++p) {
    int64_t k = shape::load_index(index, p);
    int64_t doff = 0, soff = 0;
    for (int d = 0; d < nd; ++d) {
      doff += (d == dim ? k : idx[d]) * out.stride(d);
      soff += idx[d] * src_strides[d];
    }
    dst[doff] = src_scalar ? src[0] : src[soff];
    for (int d = nd - 1; d >= 0; --d) {
      if (++idx[d] < index.size(d)) break;
      idx[d] = 0;
    }
  }
}

// Shared checks; src is null for scatter.value.
void scatter_common(const char* op, KernelContext& ctx, EValue** args, size_t num_args,
                    bool has_src) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 5);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  if (has_src) {
    EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  } else {
    EMBER_SHAPE_ARG_SCALAR(ctx, op, args, 3);
  }
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 4);
  const Tensor& self = args[0]->tensor();
  const Tensor& index = args[2]->tensor();
  const Tensor& out = args[4]->tensor();
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), self.dim(), &dim)) return;
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, self.sizes(), self.dim())) return;
  EMBER_KCHECK(ctx, self.data() == out.data() || !shape::overlaps(self, out),
               "%s: output partially overlaps self", op);
  EMBER_KCHECK(ctx, !shape::overlaps(index, out), "%s: output overlaps index", op);
  if (index.numel() == 0) {  // nothing is scattered (PyTorch skips the index checks then)
    shape::copy_bytes(self, out);
    return;
  }
  EMBER_KCHECK(ctx, shape::is_index_dtype(index.dtype()), "%s: index must be int64 or int32", op);
  EMBER_KCHECK(ctx, index.dim() == self.dim(), "%s: index has %d dims, self has %d", op,
               index.dim(), self.dim());
  int64_t src_strides[kMaxDims] = {0};
  const Tensor* src = nullptr;
  if (has_src) {
    src = &args[3]->tensor();
    EMBER_KCHECK(ctx, src->dtype() == self.dtype(), "%s: src dtype differs from self", op);
    EMBER_KCHECK(ctx, src->dim() == self.dim(), "%s: src has %d dims, self has %d", op, src->dim(),
                 self.dim());
    EMBER_KCHECK(ctx, !shape::overlaps(*src, out), "%s: output overlaps src", op);
    for (int d = 0; d < src->dim(); ++d) {
      EMBER_KCHECK(ctx, index.size(d) <= src->size(d), "%s: index is larger than src at dim %d", op,
                   d);
      src_strides[d] = src->stride(d);
    }
  } else {
    EMBER_KCHECK(ctx, shape::convertible_dtype(self.dtype()), "%s: unsupported dtype", op);
  }
  for (int d = 0; d < self.dim(); ++d)
    EMBER_KCHECK(ctx, d == dim || index.size(d) <= self.size(d),
                 "%s: index is larger than self at dim %d", op, d);
  const int64_t n = self.dim() == 0 ? 1 : self.size(static_cast<int>(dim));
  const int64_t total = index.numel();
  for (int64_t i = 0; i < total; ++i) {
    int64_t k = shape::load_index(index, i);
    EMBER_KCHECK(ctx, k >= 0 && k < n, "%s: index %lld out of range for size %lld", op,
                 static_cast<long long>(k), static_cast<long long>(n));
  }
  shape::copy_bytes(self, out);
  if (total == 0) return;
  // The scalar is materialized in a one-element buffer of the output dtype.
  uint64_t value_buf = 0;
  const void* sp = nullptr;
  if (has_src) {
    sp = src->data();
  } else {
    int64_t one = 1;
    Tensor tmp(out.dtype(), 1, &one, &value_buf);
    shape::store_scalar(tmp, 0, *args[3]);
    sp = &value_buf;
  }
  EMBER_SHAPE_DISPATCH_ELEM(element_size(self.dtype()),
                            scatter_impl<T>(out, static_cast<int>(dim), index,
                                            static_cast<const T*>(sp), src_strides, !has_src));
}

// scatter.src(Tensor self, int dim, Tensor index, Tensor src) -> Tensor
void scatter_src_out(KernelContext& ctx, EValue** args, size_t num_args) {
  scatter_common("aten::scatter.src", ctx, args, num_args, true);
}
// scatter.value(Tensor self, int dim, Tensor index, Scalar value) -> Tensor
void scatter_value_out(KernelContext& ctx, EValue** args, size_t num_args) {
  scatter_common("aten::scatter.value", ctx, args, num_args, false);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::scatter.src", scatter_src_out);
EMBER_REGISTER_KERNEL("aten::scatter.value", scatter_value_out);

}  // namespace kernels
}  // namespace ember
