// Helpers shared by the shape / view / indexing kernels: argument accessors, shape checks and
// a strided copy engine that moves elements by size (1, 2, 4 or 8 bytes), so every dtype works.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>

#include "runtime/kernels/portable/kernel_utils.h"

namespace ember {
namespace kernels {
namespace shape {

// ---------------------------------------------------------------------------------------------
// Argument access and validation.

// A tensor is usable when its rank, sizes, dtype and data pointer are consistent.
inline bool tensor_is_sane(const Tensor& t) {
  if (t.dim() < 0 || t.dim() > kMaxDims) return false;
  if (!is_valid_scalar_type(static_cast<int>(t.dtype()))) return false;
  int64_t n = 1;
  for (int i = 0; i < t.dim(); ++i) {
    int64_t s = t.sizes()[i];
    if (s < 0) return false;
    if (s != 0 && n > (int64_t(1) << 62) / s) return false;
    n *= s;
  }
  return n == 0 || t.data() != nullptr;
}

inline bool is_tensor_arg(EValue** args, size_t i) {
  return args[i] != nullptr && args[i]->is_tensor() && tensor_is_sane(args[i]->tensor());
}
inline bool is_int_arg(EValue** args, size_t i) {
  return args[i] != nullptr && args[i]->is_int();
}
inline bool is_bool_arg(EValue** args, size_t i) {
  return args[i] != nullptr && args[i]->is_bool();
}
inline bool is_none_arg(EValue** args, size_t i) {
  return args[i] != nullptr && args[i]->is_none();
}
inline bool is_int_list_arg(EValue** args, size_t i) {
  return args[i] != nullptr && args[i]->is_int_list() &&
         (args[i]->int_list().size == 0 || args[i]->int_list().data != nullptr);
}
inline bool is_scalar_arg(EValue** args, size_t i) {
  return args[i] != nullptr && args[i]->is_scalar();
}
inline bool is_tensor_list_arg(EValue** args, size_t i) {
  return args[i] != nullptr && args[i]->is_tensor_list() &&
         (args[i]->tensor_list().size == 0 || args[i]->tensor_list().data != nullptr);
}

// Typed argument checks: fail the kernel and return when the argument has the wrong kind.
#define EMBER_SHAPE_ARG_TENSOR(ctx, op, args, i)                     \
  EMBER_KCHECK(ctx, ::ember::kernels::shape::is_tensor_arg(args, i), \
               "%s: argument %d must be a valid tensor", op, (int)(i))
#define EMBER_SHAPE_ARG_INT(ctx, op, args, i)                     \
  EMBER_KCHECK(ctx, ::ember::kernels::shape::is_int_arg(args, i), \
               "%s: argument %d must be an int", op, (int)(i))
#define EMBER_SHAPE_ARG_BOOL(ctx, op, args, i)                     \
  EMBER_KCHECK(ctx, ::ember::kernels::shape::is_bool_arg(args, i), \
               "%s: argument %d must be a bool", op, (int)(i))
#define EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, i)                     \
  EMBER_KCHECK(ctx, ::ember::kernels::shape::is_int_list_arg(args, i), \
               "%s: argument %d must be an int list", op, (int)(i))
#define EMBER_SHAPE_ARG_OPT_INT(ctx, op, args, i)                 \
  EMBER_KCHECK(ctx,                                               \
               ::ember::kernels::shape::is_int_arg(args, i) ||    \
                   ::ember::kernels::shape::is_none_arg(args, i), \
               "%s: argument %d must be an int or None", op, (int)(i))
#define EMBER_SHAPE_ARG_SCALAR(ctx, op, args, i)                     \
  EMBER_KCHECK(ctx, ::ember::kernels::shape::is_scalar_arg(args, i), \
               "%s: argument %d must be a scalar", op, (int)(i))
#define EMBER_SHAPE_ARG_TENSOR_LIST(ctx, op, args, i)                     \
  EMBER_KCHECK(ctx, ::ember::kernels::shape::is_tensor_list_arg(args, i), \
               "%s: argument %d must be a tensor list", op, (int)(i))

// Formats "[2, 3, 4]" into buf (truncated when too small).
inline const char* format_shape(char* buf, size_t cap, const int64_t* sizes, int n) {
  size_t pos = 0;
  if (cap == 0) return buf;
  buf[0] = '\0';
  int w = snprintf(buf, cap, "[");
  pos = w > 0 ? static_cast<size_t>(w) : 0;
  for (int i = 0; i < n && pos < cap; ++i) {
    w = snprintf(buf + pos, cap - pos, i ? ", %lld" : "%lld", static_cast<long long>(sizes[i]));
    if (w < 0) break;
    pos += static_cast<size_t>(w);
  }
  if (pos < cap) snprintf(buf + pos, cap - pos, "]");
  return buf;
}

inline bool shape_is(const Tensor& t, const int64_t* sizes, int n) {
  if (t.dim() != n) return false;
  for (int i = 0; i < n; ++i)
    if (t.sizes()[i] != sizes[i]) return false;
  return true;
}

// Fails unless `out` has exactly `sizes`; returns false on failure.
inline bool check_out_shape(KernelContext& ctx, const char* op, const Tensor& out,
                            const int64_t* sizes, int n) {
  if (shape_is(out, sizes, n)) return true;
  char want[96], got[96];
  ctx.fail(Error::InvalidArgument, "%s: output has shape %s, expected %s", op,
           format_shape(got, sizeof(got), out.sizes(), out.dim()),
           format_shape(want, sizeof(want), sizes, n));
  return false;
}

inline bool check_same_dtype(KernelContext& ctx, const char* op, const Tensor& a,
                             const Tensor& out) {
  if (a.dtype() == out.dtype()) return true;
  ctx.fail(Error::InvalidArgument, "%s: output dtype %s differs from input dtype %s", op,
           scalar_type_name(out.dtype()), scalar_type_name(a.dtype()));
  return false;
}

// Element sizes the copy engine handles (every ScalarType has one of these).
inline bool elem_size_ok(ScalarType t) {
  size_t s = element_size(t);
  return s == 1 || s == 2 || s == 4 || s == 8;
}

// Dispatches on element size: `BODY` is instantiated with `T` = an unsigned type of that size.
#define EMBER_SHAPE_DISPATCH_ELEM(elem_size, ...) \
  switch (elem_size) {                            \
    case 1: {                                     \
      using T = uint8_t;                          \
      __VA_ARGS__;                                \
    } break;                                      \
    case 2: {                                     \
      using T = uint16_t;                         \
      __VA_ARGS__;                                \
    } break;                                      \
    case 4: {                                     \
      using T = uint32_t;                         \
      __VA_ARGS__;                                \
    } break;                                      \
    case 8: {                                     \
      using T = uint64_t;                         \
      __VA_ARGS__;                                \
    } break;                                      \
    default:                                      \
      break;                                      \
  }

// ---------------------------------------------------------------------------------------------
// Strided copy engine.

// Up to 2 * kMaxDims dims, since repeat splits every dim in two.
constexpr int kMaxViewDims = 2 * kMaxDims;

// A strided view of contiguous storage: element (i0..in) lives at offset + sum(i_k * strides[k]).
struct StridedView {
  int ndim = 0;
  int64_t sizes[kMaxViewDims];
  int64_t strides[kMaxViewDims];
  int64_t offset = 0;

  int64_t numel() const {
    int64_t n = 1;
    for (int i = 0; i < ndim; ++i) n *= sizes[i];
    return n;
  }
  void push(int64_t size, int64_t stride) {
    sizes[ndim] = size;
    strides[ndim] = stride;
    ++ndim;
  }
  // Sets the view to walk tensor `t` (row-major) with its natural strides.
  void set_contiguous(const Tensor& t) {
    ndim = 0;
    offset = 0;
    for (int i = 0; i < t.dim(); ++i) push(t.size(i), t.stride(i));
  }
  // Smallest and largest element offsets touched (only meaningful when numel() > 0). Returns
  // false when they overflow int64.
  bool bounds(int64_t* lo, int64_t* hi) const {
    int64_t a = offset, b = offset;
    for (int i = 0; i < ndim; ++i) {
      int64_t span;
      if (sizes[i] <= 0) continue;
      if (__builtin_mul_overflow(sizes[i] - 1, strides[i], &span)) return false;
      if (span < 0) {
        if (__builtin_add_overflow(a, span, &a)) return false;
      } else {
        if (__builtin_add_overflow(b, span, &b)) return false;
      }
    }
    *lo = a;
    *hi = b;
    return true;
  }
  // Drops size-1 dims and merges neighbours that are contiguous with respect to each other.
  // Only valid when the walk order must be preserved (it is: merged dims keep row-major order).
  void coalesce() {
    int n = 0;
    for (int i = 0; i < ndim; ++i) {
      if (sizes[i] == 1) continue;
      if (n > 0 && strides[n - 1] == strides[i] * sizes[i]) {
        sizes[n - 1] *= sizes[i];
        strides[n - 1] = strides[i];
        continue;
      }
      sizes[n] = sizes[i];
      strides[n] = strides[i];
      ++n;
    }
    ndim = n;
  }
};

template <typename T>
inline void copy_row(T* dst, const T* src, int64_t n, int64_t s) {
  if (s == 1) {
    memcpy(dst, src, static_cast<size_t>(n) * sizeof(T));
  } else if (s == 0) {
    T v = *src;
    for (int64_t j = 0; j < n; ++j) dst[j] = v;
  } else {
    for (int64_t j = 0; j < n; ++j) dst[j] = src[j * s];
  }
}

template <typename T>
inline void scatter_row(T* dst, const T* src, int64_t n, int64_t s) {
  if (s == 1) {
    memmove(dst, src, static_cast<size_t>(n) * sizeof(T));
  } else {
    for (int64_t j = 0; j < n; ++j) dst[j * s] = src[j];
  }
}

// dst (contiguous, row-major over v) <- src viewed through v. The view must be coalesced.
template <typename T>
inline void gather_impl(const T* src, const StridedView& v, T* dst) {
  if (v.ndim == 0) {
    dst[0] = src[v.offset];
    return;
  }
  const int last = v.ndim - 1;
  const int64_t n = v.sizes[last], s = v.strides[last];
  // Transpose-like: the innermost output dim is strided while the next one is unit-stride in
  // the source. Walk 2-D tiles so both reads and writes stay in cache.
  if (v.ndim >= 2 && s != 1 && s != 0 && v.strides[last - 1] == 1) {
    const int64_t m = v.sizes[last - 1];
    constexpr int64_t kTile = 32;
    int64_t idx[kMaxViewDims] = {0};
    int64_t off = v.offset;
    int64_t outer = 1;
    for (int d = 0; d < last - 1; ++d) outer *= v.sizes[d];
    for (int64_t o = 0; o < outer; ++o) {
      const T* base = src + off;
      for (int64_t i0 = 0; i0 < m; i0 += kTile) {
        int64_t i1 = i0 + kTile < m ? i0 + kTile : m;
        for (int64_t j0 = 0; j0 < n; j0 += kTile) {
          int64_t j1 = j0 + kTile < n ? j0 + kTile : n;
          for (int64_t i = i0; i < i1; ++i) {
            T* drow = dst + i * n;
            const T* srow = base + i;
            for (int64_t j = j0; j < j1; ++j) drow[j] = srow[j * s];
          }
        }
      }
      dst += m * n;
      for (int d = last - 2; d >= 0; --d) {
        off += v.strides[d];
        if (++idx[d] < v.sizes[d]) break;
        off -= v.strides[d] * v.sizes[d];
        idx[d] = 0;
      }
    }
    return;
  }
  int64_t idx[kMaxViewDims] = {0};
  int64_t off = v.offset;
  int64_t outer = 1;
  for (int d = 0; d < last; ++d) outer *= v.sizes[d];
  for (int64_t o = 0; o < outer; ++o) {
    copy_row(dst, src + off, n, s);
    dst += n;
    for (int d = last - 1; d >= 0; --d) {
      off += v.strides[d];
      if (++idx[d] < v.sizes[d]) break;
      off -= v.strides[d] * v.sizes[d];
      idx[d] = 0;
    }
  }
}

// dst viewed through v <- src (contiguous, row-major over v). The view must be coalesced.
template <typename T>
inline void scatter_impl(const T* src, const StridedView& v, T* dst) {
  if (v.ndim == 0) {
    dst[v.offset] = src[0];
    return;
  }
  const int last = v.ndim - 1;
  const int64_t n = v.sizes[last], s = v.strides[last];
  int64_t idx[kMaxViewDims] = {0};
  int64_t off = v.offset;
  int64_t outer = 1;
  for (int d = 0; d < last; ++d) outer *= v.sizes[d];
  for (int64_t o = 0; o < outer; ++o) {
    scatter_row(dst + off, src, n, s);
    src += n;
    for (int d = last - 1; d >= 0; --d) {
      off += v.strides[d];
      if (++idx[d] < v.sizes[d]) break;
      off -= v.strides[d] * v.sizes[d];
      idx[d] = 0;
    }
  }
}

// Copies the elements of `src` seen through `view` into contiguous `dst`. The caller has
// bounds-checked the view. Returns the number of elements written.
inline int64_t strided_gather(const void* src, StridedView view, void* dst, size_t elem_size) {
  int64_t n = view.numel();
  if (n <= 0) return 0;
  view.coalesce();
  switch (elem_size) {
    case 1:
      gather_impl(static_cast<const uint8_t*>(src), view, static_cast<uint8_t*>(dst));
      break;
    case 2:
      gather_impl(static_cast<const uint16_t*>(src), view, static_cast<uint16_t*>(dst));
      break;
    case 4:
      gather_impl(static_cast<const uint32_t*>(src), view, static_cast<uint32_t*>(dst));
      break;
    case 8:
      gather_impl(static_cast<const uint64_t*>(src), view, static_cast<uint64_t*>(dst));
      break;
    default:
      return 0;
  }
  return n;
}

// Writes contiguous `src` into `dst` seen through `view` (the inverse of strided_gather).
inline void strided_scatter(const void* src, StridedView view, void* dst, size_t elem_size) {
  if (view.numel() <= 0) return;
  view.coalesce();
  switch (elem_size) {
    case 1:
      scatter_impl(static_cast<const uint8_t*>(src), view, static_cast<uint8_t*>(dst));
      break;
    case 2:
      scatter_impl(static_cast<const uint16_t*>(src), view, static_cast<uint16_t*>(dst));
      break;
    case 4:
      scatter_impl(static_cast<const uint32_t*>(src), view, static_cast<uint32_t*>(dst));
      break;
    case 8:
      scatter_impl(static_cast<const uint64_t*>(src), view, static_cast<uint64_t*>(dst));
      break;
    default:
      break;
  }
}

// True when the byte ranges of a and b overlap (both non-empty).
inline bool overlaps(const Tensor& a, const Tensor& b) {
  if (a.nbytes() == 0 || b.nbytes() == 0) return false;
  const char* a0 = static_cast<const char*>(a.data());
  const char* b0 = static_cast<const char*>(b.data());
  return a0 < b0 + b.nbytes() && b0 < a0 + a.nbytes();
}

// out (contiguous) <- self seen through `view`. Checks that the view stays inside self and
// that out does not overlap self (unless the view is the identity and out == self).
inline void gather_into(KernelContext& ctx, const char* op, const Tensor& self, StridedView view,
                        const Tensor& out) {
  int64_t n = view.numel();
  if (n != out.numel()) {
    ctx.fail(Error::InvalidArgument, "%s: output has %lld elements, expected %lld", op,
             static_cast<long long>(out.numel()), static_cast<long long>(n));
    return;
  }
  if (n == 0) return;
  int64_t lo, hi;
  if (!view.bounds(&lo, &hi) || lo < 0 || hi >= self.numel()) {
    ctx.fail(Error::InvalidArgument, "%s: view reaches outside the input", op);
    return;
  }
  if (overlaps(self, out)) {
    view.coalesce();
    bool identity = self.data() == out.data() && view.offset == 0 &&
                    (view.ndim == 0 || (view.ndim == 1 && view.strides[0] == 1));
    if (identity) return;
    ctx.fail(Error::InvalidArgument, "%s: output memory overlaps the input", op);
    return;
  }
  strided_gather(self.data(), view, out.data(), element_size(self.dtype()));
}

// Copies a whole tensor's bytes into out (same dtype, same numel) unless they already alias.
inline void copy_bytes(const Tensor& in, const Tensor& out) {
  if (in.data() == out.data() || out.nbytes() == 0) return;
  memmove(out.data(), in.data(), out.nbytes());
}

// Shared body of the view-like ops (view, reshape, squeeze, ...): out must have the expected
// shape and dtype; the bytes are copied unless the memory planner aliased out to the input.
inline void view_copy_into(KernelContext& ctx, const char* op, const Tensor& in, const Tensor& out,
                           const int64_t* sizes, int n) {
  if (!check_same_dtype(ctx, op, in, out)) return;
  if (!check_out_shape(ctx, op, out, sizes, n)) return;
  if (in.numel() != out.numel()) {
    ctx.fail(Error::InvalidArgument, "%s: input has %lld elements, output %lld", op,
             static_cast<long long>(in.numel()), static_cast<long long>(out.numel()));
    return;
  }
  copy_bytes(in, out);
}

// Resolves a view/reshape size list (one entry may be -1) for `numel` elements. Returns false
// (and fails ctx) when the list is invalid.
inline bool infer_size(KernelContext& ctx, const char* op, ArrayRef<int64_t> size, int64_t numel,
                       int64_t* out_sizes) {
  if (size.size > static_cast<size_t>(kMaxDims)) {
    ctx.fail(Error::InvalidArgument, "%s: %zu dims exceed the maximum of %d", op, size.size,
             kMaxDims);
    return false;
  }
  int infer = -1;
  int64_t prod = 1;
  for (size_t i = 0; i < size.size; ++i) {
    int64_t s = size[i];
    if (s == -1) {
      if (infer >= 0) {
        ctx.fail(Error::InvalidArgument, "%s: only one dimension can be inferred", op);
        return false;
      }
      infer = static_cast<int>(i);
    } else if (s < 0) {
      ctx.fail(Error::InvalidArgument, "%s: invalid size %lld", op, static_cast<long long>(s));
      return false;
    } else {
      if (s != 0 && prod > (int64_t(1) << 62) / s) {
        ctx.fail(Error::InvalidArgument, "%s: size overflows", op);
        return false;
      }
      prod *= s;
    }
    out_sizes[i] = s;
  }
  if (infer >= 0) {
    if (prod == 0 || numel % prod != 0) {
      ctx.fail(Error::InvalidArgument, "%s: cannot infer a dimension for %lld elements", op,
               static_cast<long long>(numel));
      return false;
    }
    out_sizes[infer] = numel / prod;
    prod = numel;
  }
  if (prod != numel) {
    ctx.fail(Error::InvalidArgument, "%s: shape has %lld elements but the input has %lld", op,
             static_cast<long long>(prod), static_cast<long long>(numel));
    return false;
  }
  return true;
}

// Normalizes `d` for a tensor of rank `ndim` (ndim 0 accepts 0 / -1); fails ctx when invalid.
inline bool wrap_dim(KernelContext& ctx, const char* op, int64_t d, int64_t ndim, int64_t* out) {
  int64_t r = normalize_dim(d, ndim);
  if (r < 0) {
    ctx.fail(Error::InvalidArgument, "%s: dim %lld out of range for a %lld-d tensor", op,
             static_cast<long long>(d), static_cast<long long>(ndim));
    return false;
  }
  *out = r;
  return true;
}

// Clamps slice bounds like PyTorch: start/end may be negative or out of range.
inline void clamp_slice(int64_t size, bool has_start, int64_t start, bool has_end, int64_t end,
                        int64_t* out_start, int64_t* out_len, int64_t step) {
  if (!has_start) start = 0;
  if (!has_end) end = size;
  if (start < 0) start += size;
  if (end < 0) end += size;
  if (start < 0) start = 0;
  if (start > size) start = size;
  if (end < start) end = start;
  if (end > size) end = size;
  *out_start = start;
  *out_len = end > start ? (end - start - 1) / step + 1 : 0;
}

// out <- self.narrow(dim, start, len), with `dim` removed from out's shape when `drop_dim`
// (unbind). Checks out's shape and dtype. `dim` must be valid and the range inside self.
inline void narrow_into(KernelContext& ctx, const char* op, const Tensor& self, int dim,
                        int64_t start, int64_t len, bool drop_dim, const Tensor& out) {
  StridedView v;
  int64_t sizes[kMaxDims];
  int n = 0;
  for (int i = 0; i < self.dim(); ++i) {
    if (i == dim) {
      v.offset = start * self.stride(i);
      if (drop_dim) continue;
      sizes[n++] = len;
      v.push(len, self.stride(i));
    } else {
      sizes[n++] = self.size(i);
      v.push(self.size(i), self.stride(i));
    }
  }
  if (!check_same_dtype(ctx, op, self, out)) return;
  if (!check_out_shape(ctx, op, out, sizes, n)) return;
  gather_into(ctx, op, self, v, out);
}

// Checks that a Tensor[] output list has `count` valid tensors.
inline bool check_out_list(KernelContext& ctx, const char* op, ArrayRef<Tensor*> outs,
                           int64_t count) {
  if (static_cast<int64_t>(outs.size) != count) {
    ctx.fail(Error::InvalidArgument, "%s: expected %lld output tensors, got %zu", op,
             static_cast<long long>(count), outs.size);
    return false;
  }
  for (size_t i = 0; i < outs.size; ++i) {
    if (outs[i] == nullptr || !tensor_is_sane(*outs[i])) {
      ctx.fail(Error::InvalidArgument, "%s: output %zu is not a valid tensor", op, i);
      return false;
    }
  }
  return true;
}

// Converts n elements src[src_off..] into dst[dst_off..] (dtypes may differ).
inline void convert_elems(const Tensor& src, int64_t src_off, const Tensor& dst, int64_t dst_off,
                          int64_t n) {
  if (src.dtype() == dst.dtype()) {
    size_t es = element_size(src.dtype());
    memmove(static_cast<char*>(dst.data()) + dst_off * es,
            static_cast<const char*>(src.data()) + src_off * es, static_cast<size_t>(n) * es);
  } else if (is_floating(src.dtype()) || is_floating(dst.dtype())) {
    for (int64_t i = 0; i < n; ++i)
      store_from_double(dst, dst_off + i, load_as_double(src, src_off + i));
  } else {
    for (int64_t i = 0; i < n; ++i) store_from_int(dst, dst_off + i, load_as_int(src, src_off + i));
  }
}

// Dtypes the element-converting paths handle (everything but the 16-bit floats).
inline bool convertible_dtype(ScalarType t) {
  return t != ScalarType::Float16 && t != ScalarType::BFloat16;
}

// dst viewed through dv <- src viewed through sv (same sizes; dims must correspond). The last
// dim is copied as a row; unit-stride rows become memcpy. Views must not overlap.
template <typename T>
inline void copy_view_to_view_impl(const T* src, const StridedView& sv, T* dst,
                                   const StridedView& dv) {
  const int nd = sv.ndim;
  if (nd == 0) {
    dst[dv.offset] = src[sv.offset];
    return;
  }
  const int last = nd - 1;
  const int64_t n = sv.sizes[last], ss = sv.strides[last], ds = dv.strides[last];
  int64_t idx[kMaxViewDims] = {0};
  int64_t so = sv.offset, doff = dv.offset;
  int64_t outer = 1;
  for (int d = 0; d < last; ++d) outer *= sv.sizes[d];
  for (int64_t o = 0; o < outer; ++o) {
    if (ds == 1) {
      copy_row(dst + doff, src + so, n, ss);
    } else {
      for (int64_t j = 0; j < n; ++j) dst[doff + j * ds] = src[so + j * ss];
    }
    for (int d = last - 1; d >= 0; --d) {
      so += sv.strides[d];
      doff += dv.strides[d];
      if (++idx[d] < sv.sizes[d]) break;
      so -= sv.strides[d] * sv.sizes[d];
      doff -= dv.strides[d] * dv.sizes[d];
      idx[d] = 0;
    }
  }
}

inline void copy_view_to_view(const void* src, const StridedView& sv, void* dst,
                              const StridedView& dv, size_t elem_size) {
  if (sv.numel() <= 0) return;
  switch (elem_size) {
    case 1:
      copy_view_to_view_impl(static_cast<const uint8_t*>(src), sv, static_cast<uint8_t*>(dst), dv);
      break;
    case 2:
      copy_view_to_view_impl(static_cast<const uint16_t*>(src), sv, static_cast<uint16_t*>(dst),
                             dv);
      break;
    case 4:
      copy_view_to_view_impl(static_cast<const uint32_t*>(src), sv, static_cast<uint32_t*>(dst),
                             dv);
      break;
    case 8:
      copy_view_to_view_impl(static_cast<const uint64_t*>(src), sv, static_cast<uint64_t*>(dst),
                             dv);
      break;
    default:
      break;
  }
}

// Stores scalar `v` (an Int, Double or Bool EValue) as element i of t, converted to t's dtype.
inline void store_scalar(const Tensor& t, int64_t i, const EValue& v) {
  if (v.is_double())
    store_from_double(t, i, v.to_double());
  else
    store_from_int(t, i, v.scalar_as_int());
}

// Fills elements [begin, begin + n) of t with copies of element `proto` (bytewise).
inline void fill_from_elem(const Tensor& t, int64_t proto, int64_t begin, int64_t n) {
  const size_t es = element_size(t.dtype());
  char* base = static_cast<char*>(t.data());
  const char* p = base + proto * es;
  switch (es) {
    case 1:
      memset(base + begin, *p, static_cast<size_t>(n));
      break;
    case 2: {
      uint16_t v;
      memcpy(&v, p, 2);
      uint16_t* d = reinterpret_cast<uint16_t*>(base) + begin;
      for (int64_t i = 0; i < n; ++i) d[i] = v;
    } break;
    case 4: {
      uint32_t v;
      memcpy(&v, p, 4);
      uint32_t* d = reinterpret_cast<uint32_t*>(base) + begin;
      for (int64_t i = 0; i < n; ++i) d[i] = v;
    } break;
    case 8: {
      uint64_t v;
      memcpy(&v, p, 8);
      uint64_t* d = reinterpret_cast<uint64_t*>(base) + begin;
      for (int64_t i = 0; i < n; ++i) d[i] = v;
    } break;
    default:
      break;
  }
}

// Fills all of t with scalar v.
inline void fill_scalar(const Tensor& t, const EValue& v) {
  int64_t n = t.numel();
  if (n == 0) return;
  store_scalar(t, 0, v);
  if (n > 1) fill_from_elem(t, 0, 1, n - 1);
}

// Reflection / replication padding of the last k dims (padding = [l_last, r_last, ...]).
enum class PadMode { Reflect, Replicate };

inline int64_t pad_source_index(int64_t i, int64_t n, PadMode mode) {
  if (mode == PadMode::Replicate) return i < 0 ? 0 : (i >= n ? n - 1 : i);
  if (i < 0) return -i;
  if (i >= n) return 2 * (n - 1) - i;
  return i;
}

template <typename T>
inline void pad_impl(const T* src, const Tensor& self, T* dst, const Tensor& out, const int64_t* lo,
                     PadMode mode) {
  const int nd = out.dim();
  if (nd < 1 || nd > kMaxDims) return;
  const int last = nd - 1;
  const int64_t wout = out.size(last), win = self.size(last), l = lo[last];
  int64_t idx[kMaxDims] = {0};
  int64_t outer = 1;
  for (int d = 0; d < last; ++d) outer *= out.size(d);
  int64_t sstride[kMaxDims];
  for (int d = 0; d < nd; ++d) sstride[d] = self.stride(d);
  // Output columns [c0, c1) map to the input columns [c0 - l, c1 - l) directly.
  int64_t c0 = l, c1 = l + win;
  if (c1 > wout) c1 = wout;
  for (int64_t o = 0; o < outer; ++o) {
    int64_t so = 0;
    for (int d = 0; d < last; ++d)
      so += pad_source_index(idx[d] - lo[d], self.size(d), mode) * sstride[d];
    const T* srow = src + so;
    T* drow = dst + o * wout;
    for (int64_t w = 0; w < c0 && w < wout; ++w) drow[w] = srow[pad_source_index(w - l, win, mode)];
    if (c1 > c0) memcpy(drow + c0, srow, static_cast<size_t>(c1 - c0) * sizeof(T));
    for (int64_t w = c1 > c0 ? c1 : c0; w < wout; ++w)
      drow[w] = srow[pad_source_index(w - l, win, mode)];
    for (int d = last - 1; d >= 0; --d) {
      if (++idx[d] < out.size(d)) break;
      idx[d] = 0;
    }
  }
}

// Shared body of reflection_pad{1,2,3}d / replication_pad{1,2,3}d (k = 1, 2, 3 padded dims).
inline void pad_nd(KernelContext& ctx, const char* op, EValue** args, size_t num_args, int k,
                   PadMode mode) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[2]->tensor();
  ArrayRef<int64_t> pad = args[1]->int_list();
  const int nd = self.dim();
  EMBER_KCHECK(ctx, nd == k + 1 || nd == k + 2, "%s: expected a %dD or %dD input, got %dD", op,
               k + 1, k + 2, nd);
  EMBER_KCHECK(ctx, pad.size == static_cast<size_t>(2 * k), "%s: expected %d pad values, got %zu",
               op, 2 * k, pad.size);
  int64_t sizes[kMaxDims], lo[kMaxDims];
  for (int d = 0; d < nd; ++d) {
    sizes[d] = self.size(d);
    lo[d] = 0;
  }
  for (int j = 0; j < k; ++j) {
    int d = nd - 1 - j;
    int64_t l = pad[2 * j], r = pad[2 * j + 1], n = self.size(d);
    EMBER_KCHECK(ctx, n > 0, "%s: padded dim %d is empty", op, d);
    EMBER_KCHECK(ctx, l >= 0 && r >= 0, "%s: negative padding is not supported", op);
    if (mode == PadMode::Reflect)
      EMBER_KCHECK(ctx, l < n && r < n,
                   "%s: padding (%lld, %lld) must be smaller than the dim size %lld", op,
                   static_cast<long long>(l), static_cast<long long>(r), static_cast<long long>(n));
    else
      EMBER_KCHECK(ctx, l < (int64_t(1) << 32) && r < (int64_t(1) << 32), "%s: pad too large", op);
    sizes[d] = n + l + r;
    lo[d] = l;
  }
  if (!check_same_dtype(ctx, op, self, out)) return;
  if (!check_out_shape(ctx, op, out, sizes, nd)) return;
  EMBER_KCHECK(ctx, !overlaps(self, out), "%s: output overlaps the input", op);
  if (out.numel() == 0) return;
  EMBER_SHAPE_DISPATCH_ELEM(element_size(self.dtype()),
                            pad_impl(static_cast<const T*>(self.data()), self,
                                     static_cast<T*>(out.data()), out, lo, mode));
}

// Reads an index tensor element (int64 or int32) as int64.
inline int64_t load_index(const Tensor& t, int64_t i) {
  return t.dtype() == ScalarType::Int32 ? t.data_as<const int32_t>()[i]
                                        : t.data_as<const int64_t>()[i];
}
inline bool is_index_dtype(ScalarType t) {
  return t == ScalarType::Int64 || t == ScalarType::Int32;
}

}  // namespace shape
}  // namespace kernels
}  // namespace ember
