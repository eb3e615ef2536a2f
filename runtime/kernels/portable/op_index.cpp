// aten::index.Tensor: advanced indexing with a list of optional index tensors.
//
// Entry i of `indices` indexes dim i of self (a None entry keeps the whole dim). Integer index
// tensors (int64 / int32, negative values wrap) broadcast together to a shape B. A bool (or
// uint8) mask of k dims indexes k dims of self and acts like a 1-d index of its true positions
// (the output shape, fixed at export, carries their count). When the indexed dims are adjacent
// the result is self[:first] + B + self[last+1:]; otherwise B comes first, followed by the
// remaining dims in order (PyTorch's rule).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

bool is_mask_dtype(ScalarType t) {
  return t == ScalarType::Bool || t == ScalarType::UInt8;
}

// One index source: an integer tensor for one self dim, or a mask covering several.
struct IndexSource {
  const Tensor* t = nullptr;
  bool mask = false;
  int first_dim = 0;     // first self dim it indexes
  int ndims = 1;         // number of self dims it indexes
  int64_t dim_size = 0;  // integer index: size of the indexed dim
  int64_t stride = 0;    // self stride applied to the index value / mask position
  int64_t count = 0;     // mask: number of true entries
  int64_t shape[kMaxDims];
  int shape_dims = 0;
  BroadcastIndexer bcast;
  // Mask cursor: position `pos` holds true entry number `j`.
  int64_t j = -1, pos = -1;

  int64_t mask_position(int64_t target) {
    if (target < j) j = pos = -1;
    const uint8_t* m = t->data_as<const uint8_t>();
    while (j < target) {
      ++pos;
      if (m[pos] != 0) ++j;
    }
    return pos;
  }
  // Self element offset contributed for broadcast position b.
  int64_t offset(int64_t b) {
    int64_t e = bcast.map(b);
    if (mask) return mask_position(e) * stride;
    int64_t k = shape::load_index(*t, e);
    if (k < 0) k += dim_size;
    return k * stride;
  }
};

// index.Tensor(Tensor self, Tensor?[] indices) -> Tensor
void index_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::index.Tensor";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_TENSOR_LIST(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[2]->tensor();
  ArrayRef<Tensor*> indices = args[1]->tensor_list();
  const int nd = self.dim();
  EMBER_KCHECK(ctx, indices.size <= static_cast<size_t>(nd) || indices.size == 0,
               "%s: too many indices (%zu) for a %d-d tensor", op, indices.size, nd);

  IndexSource src[kMaxDims];
  int nsrc = 0;
  bool indexed[kMaxDims] = {false};
  int d = 0;  // next self dim
  for (size_t i = 0; i < indices.size; ++i) {
    const Tensor* t = indices[i];
    if (t == nullptr) {
      ++d;
      continue;
    }
    EMBER_KCHECK(ctx, shape::tensor_is_sane(*t), "%s: index %zu is not a valid tensor", op, i);
    EMBER_KCHECK(ctx, !shape::overlaps(*t, out), "%s: output overlaps index %zu", op, i);
    IndexSource& s = src[nsrc];
    s.t = t;
    s.first_dim = d;
    if (is_mask_dtype(t->dtype())) {
      EMBER_KCHECK(ctx, t->dim() > 0, "%s: 0-d mask indices are not supported", op);
      EMBER_KCHECK(ctx, d + t->dim() <= nd, "%s: mask %zu has too many dims", op, i);
      for (int k = 0; k < t->dim(); ++k)
        EMBER_KCHECK(ctx, t->size(k) == self.size(d + k),
                     "%s: mask %zu has size %lld at dim %d, self has %lld", op, i,
                     static_cast<long long>(t->size(k)), k,
                     static_cast<long long>(self.size(d + k)));
      s.mask = true;
      s.ndims = t->dim();
      s.stride = self.stride(d + t->dim() - 1);
      const uint8_t* m = t->data_as<const uint8_t>();
      int64_t c = 0, n = t->numel();
      for (int64_t k = 0; k < n; ++k) c += m[k] != 0;
      s.count = c;
      s.shape[0] = c;
      s.shape_dims = 1;
    } else {
      EMBER_KCHECK(ctx, shape::is_index_dtype(t->dtype()),
                   "%s: index %zu must be int64, int32, bool or uint8", op, i);
      EMBER_KCHECK(ctx, d < nd, "%s: too many indices for a %d-d tensor", op, nd);
      s.dim_size = self.size(d);
      s.stride = self.stride(d);
      s.shape_dims = t->dim();
      for (int k = 0; k < t->dim(); ++k) s.shape[k] = t->size(k);
      const int64_t n = t->numel();
      for (int64_t k = 0; k < n; ++k) {
        int64_t v = shape::load_index(*t, k);
        EMBER_KCHECK(ctx, v >= -s.dim_size && v < s.dim_size,
                     "%s: index %lld out of range for dim %d of size %lld", op,
                     static_cast<long long>(v), d, static_cast<long long>(s.dim_size));
      }
    }
    for (int k = 0; k < s.ndims; ++k) indexed[d + k] = true;
    d += s.ndims;
    ++nsrc;
  }
  EMBER_KCHECK(ctx, d <= nd, "%s: too many indices for a %d-d tensor", op, nd);
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  EMBER_KCHECK(ctx, !shape::overlaps(self, out), "%s: output overlaps self", op);
  if (nsrc == 0) {  // only None entries: a plain copy
    if (!shape::check_out_shape(ctx, op, out, self.sizes(), nd)) return;
    shape::copy_bytes(self, out);
    return;
  }

  // Broadcast shape of all index sources (right-aligned).
  int bdims = 0;
  int64_t bshape[kMaxDims];
  for (int i = 0; i < nsrc; ++i) {
    const IndexSource& s = src[i];
    if (s.shape_dims > bdims) {
      int grow = s.shape_dims - bdims;
      for (int k = bdims - 1; k >= 0; --k) bshape[k + grow] = bshape[k];
      for (int k = 0; k < grow; ++k) bshape[k] = 1;
      bdims = s.shape_dims;
    }
    for (int k = 0; k < s.shape_dims; ++k) {
      int64_t& b = bshape[bdims - s.shape_dims + k];
      int64_t v = s.shape[k];
      if (b == 1)
        b = v;
      else
        EMBER_KCHECK(ctx, v == 1 || v == b, "%s: index shapes cannot be broadcast together", op);
    }
  }

  // Adjacent indexed dims keep their place; otherwise the broadcast dims go first.
  int first = -1, last = -1;
  for (int k = 0; k < nd; ++k)
    if (indexed[k]) {
      if (first < 0) first = k;
      last = k;
    }
  bool adjacent = true;
  for (int k = first; k <= last; ++k)
    if (!indexed[k]) adjacent = false;
  int rest = 0;
  for (int k = 0; k < nd; ++k) rest += !indexed[k];
  EMBER_KCHECK(ctx, bdims + rest <= kMaxDims, "%s: result would exceed %d dims", op, kMaxDims);
  int64_t sizes[kMaxDims];
  int n = 0;
  if (adjacent) {
    for (int k = 0; k < first; ++k) sizes[n++] = self.size(k);
    for (int k = 0; k < bdims; ++k) sizes[n++] = bshape[k];
    for (int k = last + 1; k < nd; ++k) sizes[n++] = self.size(k);
  } else {
    for (int k = 0; k < bdims; ++k) sizes[n++] = bshape[k];
    for (int k = 0; k < nd; ++k)
      if (!indexed[k]) sizes[n++] = self.size(k);
  }
  if (!shape::check_out_shape(ctx, op, out, sizes, n)) return;
  if (out.numel() == 0) return;

  Tensor bshape_t(ScalarType::Int64, bdims, bshape, nullptr);
  for (int i = 0; i < nsrc; ++i) {
    Tensor st(ScalarType::Int64, src[i].shape_dims, src[i].shape, nullptr);
    src[i].bcast.init(bshape_t, st);
  }
  int64_t bnumel = 1;
  for (int k = 0; k < bdims; ++k) bnumel *= bshape[k];
  const size_t es = element_size(self.dtype());
  const char* sp = static_cast<const char*>(self.data());
  char* dp = static_cast<char*>(out.data());

  if (adjacent) {
    int64_t pre = 1, post = 1;
    for (int k = 0; k < first; ++k) pre *= self.size(k);
    for (int k = last + 1; k < nd; ++k) post *= self.size(k);
    const int64_t pre_stride = first > 0 ? self.stride(first - 1) : 0;
    const size_t row = static_cast<size_t>(post) * es;
    for (int64_t p = 0; p < pre; ++p) {
      for (int64_t b = 0; b < bnumel; ++b) {
        int64_t off = p * pre_stride;
        for (int i = 0; i < nsrc; ++i) off += src[i].offset(b);
        memcpy(dp, sp + off * static_cast<int64_t>(es), row);
        dp += row;
      }
    }
    return;
  }
  shape::StridedView v;
  for (int k = 0; k < nd; ++k)
    if (!indexed[k]) v.push(self.size(k), self.stride(k));
  const int64_t chunk = v.numel();
  v.coalesce();
  for (int64_t b = 0; b < bnumel; ++b) {
    int64_t off = 0;
    for (int i = 0; i < nsrc; ++i) off += src[i].offset(b);
    v.offset = off;
    EMBER_SHAPE_DISPATCH_ELEM(
        es, shape::gather_impl(static_cast<const T*>(self.data()), v, reinterpret_cast<T*>(dp)));
    dp += chunk * static_cast<int64_t>(es);
  }
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::index.Tensor", index_out);

}  // namespace kernels
}  // namespace ember
