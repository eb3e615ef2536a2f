// Shared machinery for the elementwise portable kernels: dtype dispatch, safe conversions,
// PyTorch type promotion, broadcast shape checks and the unary / binary / ternary loops
// (contiguous fast paths plus a coalesced N-d strided path for broadcasting).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "runtime/kernels/portable/kernel_utils.h"

namespace ember {
namespace kernels {
namespace ew {

// ---------------------------------------------------------------------------------------------
// Dtypes

// The dtypes these kernels handle (no half types), as X(ScalarType enumerator, C type). One table
// for every dtype switch below, which stay plain switches (jump tables) for the per-element use.
#define EMBER_EW_FOR_EACH_REAL_TYPE(X) \
  X(Float32, float)                    \
  X(Float64, double)                   \
  X(Int64, int64_t)                    \
  X(Int32, int32_t)                    \
  X(Int16, int16_t)                    \
  X(Int8, int8_t)                      \
  X(UInt8, uint8_t)                    \
  X(Bool, bool)

template <typename T>
constexpr ScalarType dtype_of();
#define EMBER_EW_DTYPE_OF(D, C)        \
  template <>                          \
  constexpr ScalarType dtype_of<C>() { \
    return ScalarType::D;              \
  }
EMBER_EW_FOR_EACH_REAL_TYPE(EMBER_EW_DTYPE_OF)
#undef EMBER_EW_DTYPE_OF

inline bool is_integral_no_bool(ScalarType t) {
  return t == ScalarType::Int64 || t == ScalarType::Int32 || t == ScalarType::Int16 ||
         t == ScalarType::Int8 || t == ScalarType::UInt8;
}

template <typename T>
constexpr bool is_int_v = std::is_integral<T>::value && !std::is_same<T, bool>::value;

// Calls f(T{}) with T the C type of `t`; returns false for unsupported dtypes.
template <typename F>
inline bool dispatch_real(ScalarType t, F&& f) {
  switch (t) {
#define EMBER_EW_CASE(D, C) \
  case ScalarType::D:       \
    f(C{});                 \
    return true;
    EMBER_EW_FOR_EACH_REAL_TYPE(EMBER_EW_CASE)
#undef EMBER_EW_CASE
    default:
      return false;
  }
}
// dispatch_real restricted to float / double (f is only instantiated for those).
template <typename F>
inline bool dispatch_float(ScalarType t, F&& f) {
  if (t != ScalarType::Float32 && t != ScalarType::Float64) return false;
  return dispatch_real(t, [&](auto z) {
    if constexpr (std::is_floating_point<decltype(z)>::value) f(z);
  });
}
// The dtypes these kernels handle.
inline bool is_supported(ScalarType t) {
  return dispatch_real(t, [](auto) {});
}

// ---------------------------------------------------------------------------------------------
// Conversions (no UB: float -> int of NaN / out-of-range values gives the x86 "indefinite"
// value INT64_MIN, then narrows like PyTorch's casts do).

template <typename To, typename From>
inline To convert(From v) {
  if constexpr (std::is_same<To, From>::value) {
    return v;
  } else if constexpr (std::is_same<To, bool>::value) {
    return v != From(0);
  } else if constexpr (std::is_floating_point<From>::value && std::is_integral<To>::value) {
    // Range check in double; 9.2e18 is exactly representable.
    double d = static_cast<double>(v);
    int64_t i;
    if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0)) {
      i = std::numeric_limits<int64_t>::min();
    } else {
      i = static_cast<int64_t>(d);
    }
    if constexpr (std::is_same<To, int64_t>::value) {
      return i;
    } else if constexpr (std::is_same<To, int32_t>::value) {
      // Direct float->int32 conversion of an out-of-range value yields INT32_MIN on x86.
      if (d >= 2147483648.0 || d < -2147483648.0 || d != d)
        return std::numeric_limits<int32_t>::min();
      return static_cast<int32_t>(i);
    } else if constexpr (std::is_same<To, uint8_t>::value) {
      return static_cast<uint8_t>(static_cast<uint64_t>(i));  // via int64 like c10
    } else {
      if (d >= 2147483648.0 || d < -2147483648.0 || d != d) return To(0);
      return static_cast<To>(static_cast<int32_t>(i));
    }
  } else {
    // Integer -> integer narrowing wraps (two's complement; never UB), like PyTorch.
    return static_cast<To>(v);
  }
}

template <typename T>
inline T load_cast(const Tensor& t, int64_t i) {
  const void* p = t.data();
  switch (t.dtype()) {
#define EMBER_EW_CASE(D, C) \
  case ScalarType::D:       \
    return convert<T>(static_cast<const C*>(p)[i]);
    EMBER_EW_FOR_EACH_REAL_TYPE(EMBER_EW_CASE)
#undef EMBER_EW_CASE
    default:
      return T(0);
  }
}

// A Scalar EValue (Int / Double / Bool) converted to T.
template <typename T>
inline T scalar_to(const EValue& v) {
  if (v.is_int()) return convert<T>(v.to_int());
  if (v.is_double()) return convert<T>(v.to_double());
  if (v.is_bool()) return convert<T>(v.to_bool());
  return T(0);
}

// ---------------------------------------------------------------------------------------------
// Wrapping integer arithmetic (no signed-overflow UB) that degrades to plain ops for floats.

template <typename T>
inline T w_add(T a, T b) {
  if constexpr (is_int_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
  } else if constexpr (std::is_same<T, bool>::value) {
    return a || b;
  } else {
    return a + b;
  }
}
template <typename T>
inline T w_sub(T a, T b) {
  if constexpr (is_int_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) - static_cast<U>(b)));
  } else if constexpr (std::is_same<T, bool>::value) {
    return a != b;
  } else {
    return a - b;
  }
}
template <typename T>
inline T w_mul(T a, T b) {
  if constexpr (is_int_v<T>) {
    using U = std::make_unsigned_t<T>;
    using W = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, U>;
    return static_cast<T>(
        static_cast<U>(static_cast<W>(static_cast<U>(a)) * static_cast<W>(static_cast<U>(b))));
  } else if constexpr (std::is_same<T, bool>::value) {
    return a && b;
  } else {
    return a * b;
  }
}
template <typename T>
inline T w_neg(T a) {
  if constexpr (is_int_v<T>) {
    return w_sub<T>(T(0), a);
  } else {
    return -a;
  }
}

// m ? a : b as a bitwise blend (no branch, so mask loops vectorize even with random masks).
template <size_t N>
using UIntOfSize = std::conditional_t<
    N == 1, uint8_t,
    std::conditional_t<N == 2, uint16_t, std::conditional_t<N == 4, uint32_t, uint64_t>>>;
template <typename T>
inline T mask_select(uint8_t m, T a, T b) {
  using U = UIntOfSize<sizeof(T)>;
  static_assert(sizeof(U) == sizeof(T), "mask_select needs a 1, 2, 4 or 8 byte type");
  U ua, ub;
  std::memcpy(&ua, &a, sizeof(T));
  std::memcpy(&ub, &b, sizeof(T));
  const U mask = static_cast<U>(U(0) - static_cast<U>(m != 0));
  const U r = static_cast<U>((ua & mask) | (ub & static_cast<U>(~mask)));
  T out;
  std::memcpy(&out, &r, sizeof(T));
  return out;
}

// NaN-propagating max / min (PyTorch's maximum / minimum / clamp semantics).
template <typename T>
inline T nan_max(T a, T b) {
  if constexpr (std::is_floating_point<T>::value) {
    if (a != a) return a;
    if (b != b) return b;
  }
  return a > b ? a : b;
}
template <typename T>
inline T nan_min(T a, T b) {
  if constexpr (std::is_floating_point<T>::value) {
    if (a != a) return a;
    if (b != b) return b;
  }
  return a < b ? a : b;
}

// ---------------------------------------------------------------------------------------------
// Type promotion (c10::promoteTypes + at::native::result_type over dimmed tensors, 0-dim tensors
// and wrapped numbers).

inline int int_rank(ScalarType t) {
  switch (t) {
    case ScalarType::Int8:
      return 1;
    case ScalarType::Int16:
      return 2;
    case ScalarType::Int32:
      return 3;
    case ScalarType::Int64:
      return 4;
    default:
      return 0;
  }
}

inline ScalarType promote_types(ScalarType a, ScalarType b) {
  if (a == b) return a;
  if (a == ScalarType::Bool) return b;
  if (b == ScalarType::Bool) return a;
  if (is_floating(a) || is_floating(b)) {
    if (a == ScalarType::Float64 || b == ScalarType::Float64) return ScalarType::Float64;
    return ScalarType::Float32;
  }
  if (a == ScalarType::UInt8 || b == ScalarType::UInt8) {
    ScalarType o = a == ScalarType::UInt8 ? b : a;
    return o == ScalarType::Int8 ? ScalarType::Int16 : o;
  }
  return int_rank(a) >= int_rank(b) ? a : b;
}

enum class OperandKind : uint8_t { Dimmed, ZeroDim, Wrapped };

// One input of an elementwise op: a tensor or a Scalar EValue wrapped as a 0-dim tensor (like
// PyTorch's wrapped numbers). Not copyable: `t` may point into the object itself.
struct Operand {
  Tensor t;
  OperandKind kind = OperandKind::Dimmed;
  ScalarType promo = ScalarType::Float32;  // dtype used for type promotion
  bool present = false;
  int64_t ival = 0;
  double dval = 0;
  bool bval = false;

  Operand() = default;
  Operand(const Operand&) = delete;
  Operand& operator=(const Operand&) = delete;

  // Accepts a tensor, or a Scalar when allow_scalar. Returns false on anything else.
  // bool_as_int: a Bool for a schema `Scalar` slot counts as the integer 0 / 1 for type
  // promotion, as torch.ops (and so the exporter's dtype propagation) treats it; a Bool given
  // for a `Tensor` slot stays a bool wrapped number.
  bool init(const EValue& v, bool allow_scalar = true, bool bool_as_int = false) {
    present = true;
    if (v.is_tensor()) {
      t = v.tensor();
      kind = t.dim() == 0 ? OperandKind::ZeroDim : OperandKind::Dimmed;
      promo = t.dtype();
      return true;
    }
    if (!allow_scalar) return false;
    kind = OperandKind::Wrapped;
    if (v.is_int()) {
      ival = v.to_int();
      t = Tensor(ScalarType::Int64, 0, nullptr, &ival);
      promo = ScalarType::Int64;
    } else if (v.is_double()) {
      dval = v.to_double();
      t = Tensor(ScalarType::Float64, 0, nullptr, &dval);
      promo = ScalarType::Float32;  // default dtype
    } else if (v.is_bool() && bool_as_int) {
      ival = v.to_bool() ? 1 : 0;
      t = Tensor(ScalarType::Int64, 0, nullptr, &ival);
      promo = ScalarType::Int64;
    } else if (v.is_bool()) {
      bval = v.to_bool();
      t = Tensor(ScalarType::Bool, 0, nullptr, &bval);
      promo = ScalarType::Bool;
    } else {
      return false;
    }
    return true;
  }
};

struct PromoState {
  bool has[3] = {false, false, false};
  ScalarType t[3] = {ScalarType::Bool, ScalarType::Bool, ScalarType::Bool};
  void add(const Operand& o) {
    if (!o.present) return;
    int k = static_cast<int>(o.kind);
    t[k] = has[k] ? promote_types(t[k], o.promo) : o.promo;
    has[k] = true;
  }
};

// c10 combine_categories for real types; `has` flags play the role of Undefined.
inline void combine_categories(bool hh, ScalarType h, bool hl, ScalarType l, bool* ho,
                               ScalarType* o) {
  if (hh && is_floating(h)) {
    *ho = true;
    *o = h;
    return;
  }
  if (hh && hl && (h == ScalarType::Bool || is_floating(l))) {
    *ho = true;
    *o = promote_types(h, l);
    return;
  }
  if (hh) {
    *ho = true;
    *o = h;
    return;
  }
  *ho = hl;
  *o = l;
}

inline ScalarType result_type(const PromoState& s) {
  bool h1;
  ScalarType t1;
  combine_categories(s.has[1], s.t[1], s.has[2], s.t[2], &h1, &t1);
  bool h0;
  ScalarType t0;
  combine_categories(s.has[0], s.t[0], h1, t1, &h0, &t0);
  return h0 ? t0 : ScalarType::Float32;
}

inline ScalarType result_type(const Operand& a) {
  PromoState s;
  s.add(a);
  return result_type(s);
}
inline ScalarType result_type(const Operand& a, const Operand& b) {
  PromoState s;
  s.add(a);
  s.add(b);
  return result_type(s);
}
inline ScalarType result_type(const Operand& a, const Operand& b, const Operand& c) {
  PromoState s;
  s.add(a);
  s.add(b);
  s.add(c);
  return result_type(s);
}

// Floating result of "int_to_float" ops (true division, exp, atan2...).
inline ScalarType to_float_type(ScalarType t) {
  return is_floating(t) ? t : ScalarType::Float32;
}

// ---------------------------------------------------------------------------------------------
// Argument validation

inline const char* dtype_name(ScalarType t) {
  return scalar_type_name(t);
}

// Sizes non-negative, dtype supported, data present when non-empty.
inline bool check_tensor(KernelContext& ctx, const char* op, const char* what, const Tensor& t) {
  if (t.dim() < 0 || t.dim() > kMaxDims) {
    ctx.fail(Error::InvalidArgument, "%s: %s has invalid rank %d", op, what, t.dim());
    return false;
  }
  for (int i = 0; i < t.dim(); ++i) {
    if (t.size(i) < 0) {
      ctx.fail(Error::InvalidArgument, "%s: %s has a negative size", op, what);
      return false;
    }
  }
  if (!is_supported(t.dtype())) {
    ctx.fail(Error::InvalidArgument, "%s: %s has unsupported dtype %s", op, what,
             dtype_name(t.dtype()));
    return false;
  }
  if (t.numel() > 0 && t.data() == nullptr) {
    ctx.fail(Error::InvalidArgument, "%s: %s has no data", op, what);
    return false;
  }
  return true;
}

inline bool check_nargs(KernelContext& ctx, const char* op, size_t num_args, size_t expected) {
  if (num_args != expected) {
    ctx.fail(Error::InvalidArgument, "%s: expected %zu arguments, got %zu", op, expected, num_args);
    return false;
  }
  return true;
}

// args[i] must be a tensor; returns it (validated) or nullptr after failing.
inline Tensor* get_tensor(KernelContext& ctx, const char* op, EValue** args, size_t i,
                          const char* what) {
  if (args[i] == nullptr || !args[i]->is_tensor()) {
    ctx.fail(Error::InvalidArgument, "%s: %s must be a tensor", op, what);
    return nullptr;
  }
  Tensor* t = &args[i]->tensor();
  if (!check_tensor(ctx, op, what, *t)) return nullptr;
  return t;
}

// Initializes an operand from args[i] (tensor, or Scalar when allowed) and validates it.
inline bool get_operand(KernelContext& ctx, const char* op, EValue** args, size_t i,
                        const char* what, Operand* o, bool allow_scalar = true,
                        bool bool_as_int = false) {
  if (args[i] == nullptr || !o->init(*args[i], allow_scalar, bool_as_int)) {
    ctx.fail(Error::InvalidArgument, "%s: %s must be a tensor%s", op, what,
             allow_scalar ? " or a scalar" : "");
    return false;
  }
  return check_tensor(ctx, op, what, o->t);
}

inline bool get_scalar(KernelContext& ctx, const char* op, EValue** args, size_t i,
                       const char* what) {
  if (args[i] == nullptr || !args[i]->is_scalar()) {
    ctx.fail(Error::InvalidArgument, "%s: %s must be a number", op, what);
    return false;
  }
  return true;
}

// An optional Scalar: sets *present; fails on other tags.
inline bool get_opt_scalar(KernelContext& ctx, const char* op, EValue** args, size_t i,
                           const char* what, bool* present) {
  if (args[i] == nullptr || args[i]->is_none()) {
    *present = false;
    return true;
  }
  if (!args[i]->is_scalar()) {
    ctx.fail(Error::InvalidArgument, "%s: %s must be a number or None", op, what);
    return false;
  }
  *present = true;
  return true;
}

// Args that the kernel ignores (layout, device, memory_format...) must be None or a plain value.
inline bool check_ignored(KernelContext& ctx, const char* op, EValue** args, size_t i,
                          const char* what) {
  if (args[i] == nullptr || args[i]->is_tensor() || args[i]->is_tensor_list()) {
    ctx.fail(Error::InvalidArgument, "%s: unexpected value for %s", op, what);
    return false;
  }
  return true;
}

inline bool string_equals(const EValue& v, const char* s) {
  if (!v.is_string()) return false;
  ArrayRef<char> str = v.string();
  size_t n = strlen(s);
  return str.size == n && (n == 0 || memcmp(str.data, s, n) == 0);
}

inline bool check_dtype(KernelContext& ctx, const char* op, const Tensor& out, ScalarType want) {
  if (out.dtype() != want) {
    ctx.fail(Error::InvalidArgument, "%s: out has dtype %s, expected %s", op,
             dtype_name(out.dtype()), dtype_name(want));
    return false;
  }
  return true;
}

// Broadcast shape of the present tensors; false when incompatible.
struct Shape {
  int ndim = 0;
  int64_t sizes[kMaxDims] = {0};
};

inline bool broadcast_into(Shape* s, const Tensor& t) {
  if (t.dim() > kMaxDims) return false;
  int nd = s->ndim > t.dim() ? s->ndim : t.dim();
  int64_t res[kMaxDims];
  for (int i = nd - 1, a = s->ndim - 1, b = t.dim() - 1; i >= 0; --i, --a, --b) {
    int64_t x = a >= 0 ? s->sizes[a] : 1;
    int64_t y = b >= 0 ? t.size(b) : 1;
    if (x == y || y == 1) {
      res[i] = x;
    } else if (x == 1) {
      res[i] = y;
    } else {
      return false;
    }
  }
  s->ndim = nd;
  for (int i = 0; i < nd; ++i) s->sizes[i] = res[i];
  return true;
}

inline bool check_out_shape(KernelContext& ctx, const char* op, const Tensor& out, const Shape& s) {
  bool same = out.dim() == s.ndim;
  for (int i = 0; same && i < s.ndim; ++i) same = out.size(i) == s.sizes[i];
  if (!same) {
    ctx.fail(Error::InvalidArgument, "%s: out has the wrong shape (rank %d, expected rank %d)", op,
             out.dim(), s.ndim);
    return false;
  }
  return true;
}

// Checks that the listed (non-null) tensors broadcast together to exactly out's shape.
inline bool check_broadcast_out(KernelContext& ctx, const char* op, const Tensor& out,
                                const Tensor* a, const Tensor* b = nullptr,
                                const Tensor* c = nullptr) {
  Shape s;
  const Tensor* ts[3] = {a, b, c};
  for (const Tensor* t : ts) {
    if (t != nullptr && !broadcast_into(&s, *t)) {
      ctx.fail(Error::InvalidArgument, "%s: input shapes are not broadcastable", op);
      return false;
    }
  }
  return check_out_shape(ctx, op, out, s);
}

inline bool check_same_shape(KernelContext& ctx, const char* op, const Tensor& out,
                             const Tensor& in) {
  if (!out.same_shape(in)) {
    ctx.fail(Error::InvalidArgument, "%s: out shape does not match the input shape", op);
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// N-d iteration over a contiguous output with broadcast inputs. Dimensions are coalesced so the
// common cases run as a few long rows.

template <int N>
struct NdIter {
  int ndim = 1;
  int64_t sizes[kMaxDims];
  int64_t strides[N][kMaxDims];

  // ins[k] may be null (treated as a broadcast scalar). Inputs must broadcast to out.
  void init(const Tensor& out, const Tensor* const* ins) {
    int nd = out.dim();
    int64_t st[N][kMaxDims];
    for (int k = 0; k < N; ++k) {
      const Tensor* in = ins[k];
      int offset = in ? nd - in->dim() : nd;
      int64_t stride = 1;
      for (int i = nd - 1; i >= 0; --i) {
        int j = i - offset;
        if (in != nullptr && j >= 0 && in->size(j) != 1) {
          st[k][i] = stride;
          stride *= in->size(j);
        } else {
          st[k][i] = 0;
        }
      }
    }
    ndim = 0;
    for (int i = 0; i < nd; ++i) {
      int64_t sz = out.size(i);
      if (sz == 1) continue;
      bool merge = ndim > 0;
      for (int k = 0; merge && k < N; ++k) merge = strides[k][ndim - 1] == st[k][i] * sz;
      if (merge) {
        sizes[ndim - 1] *= sz;
        for (int k = 0; k < N; ++k) strides[k][ndim - 1] = st[k][i];
      } else {
        sizes[ndim] = sz;
        for (int k = 0; k < N; ++k) strides[k][ndim] = st[k][i];
        ++ndim;
      }
    }
    if (ndim == 0) {
      ndim = 1;
      sizes[0] = 1;
      for (int k = 0; k < N; ++k) strides[k][0] = 0;
    }
  }

  int64_t inner_stride(int k) const { return strides[k][ndim - 1]; }

  // f(const int64_t* in_offsets, int64_t out_offset, int64_t len) per row; caller ensures
  // numel > 0.
  template <typename F>
  void for_each_row(F&& f) const {
    int64_t inner = sizes[ndim - 1];
    int64_t rows = 1;
    for (int d = 0; d < ndim - 1; ++d) rows *= sizes[d];
    int64_t idx[kMaxDims] = {0};
    int64_t off[N] = {0};
    for (int64_t r = 0; r < rows; ++r) {
      f(static_cast<const int64_t*>(off), r * inner, inner);
      for (int d = ndim - 2; d >= 0; --d) {
        ++idx[d];
        for (int k = 0; k < N; ++k) off[k] += strides[k][d];
        if (idx[d] < sizes[d]) break;
        for (int k = 0; k < N; ++k) off[k] -= strides[k][d] * sizes[d];
        idx[d] = 0;
      }
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Loops. Inputs are converted to the compute types; outputs are written as OT.

// True when t's elements can be read directly as T: its own dtype, or bool storage (0 / 1 bytes)
// read as uint8_t, which lets bool masks vectorize.
template <typename T>
inline bool readable_as(const Tensor& t) {
  return t.dtype() == dtype_of<T>() ||
         (std::is_same<T, uint8_t>::value && t.dtype() == ScalarType::Bool);
}

// out[i] = f(in[i]); in and out have the same numel.
template <typename IT, typename OT, typename F>
inline void unary_loop(const Tensor& in, const Tensor& out, F&& f) {
  int64_t n = out.numel();
  OT* o = out.data_as<OT>();
  if (readable_as<IT>(in)) {
    const IT* p = in.data_as<const IT>();
    for (int64_t i = 0; i < n; ++i) o[i] = f(p[i]);
  } else {
    for (int64_t i = 0; i < n; ++i) o[i] = f(load_cast<IT>(in, i));
  }
}

// Converts len contiguous elements of t starting at off to CT (one dtype dispatch per chunk).
template <typename CT>
inline void load_chunk(const Tensor& t, int64_t off, int64_t len, CT* buf) {
  dispatch_real(t.dtype(), [&](auto z) {
    using S = decltype(z);
    const S* p = t.data_as<const S>() + off;
    for (int64_t j = 0; j < len; ++j) buf[j] = convert<CT>(p[j]);
  });
}

// y[j] = f(xa[j * sa], xb[j * sb]) for inner strides sa, sb in {0, 1}.
template <typename CT, typename OT, typename F>
inline void binary_row(const CT* xa, int64_t sa, const CT* xb, int64_t sb, OT* y, int64_t len,
                       F& f) {
  if (sa != 0 && sb != 0) {
    for (int64_t j = 0; j < len; ++j) y[j] = f(xa[j], xb[j]);
  } else if (sb != 0) {
    const CT va = xa[0];
    for (int64_t j = 0; j < len; ++j) y[j] = f(va, xb[j]);
  } else if (sa != 0) {
    const CT vb = xb[0];
    for (int64_t j = 0; j < len; ++j) y[j] = f(xa[j], vb);
  } else {
    const OT v = f(xa[0], xb[0]);
    for (int64_t j = 0; j < len; ++j) y[j] = v;
  }
}

// out = f(a, b) with broadcasting; a and b are converted to CT.
template <typename CT, typename OT, typename F>
inline void binary_loop(const Tensor& a, const Tensor& b, const Tensor& out, F&& f) {
  const int64_t n = out.numel();
  if (n <= 0) return;
  OT* o = out.data_as<OT>();
  const bool a1 = a.numel() == 1, b1 = b.numel() == 1;
  CT as = a1 ? load_cast<CT>(a, 0) : CT(0);
  CT bs = b1 ? load_cast<CT>(b, 0) : CT(0);
  const CT* pa = a1 ? &as : (readable_as<CT>(a) ? a.data_as<const CT>() : nullptr);
  const CT* pb = b1 ? &bs : (readable_as<CT>(b) ? b.data_as<const CT>() : nullptr);
  if (pa != nullptr && pb != nullptr && (a1 || a.numel() == n) && (b1 || b.numel() == n)) {
    binary_row(pa, a1 ? 0 : 1, pb, b1 ? 0 : 1, o, n, f);
    return;
  }
  const Tensor* ins[2] = {a1 ? nullptr : &a, b1 ? nullptr : &b};
  NdIter<2> it;
  it.init(out, ins);
  // Inner strides are 0 (broadcast) or 1 (the innermost dims line up).
  const int64_t sa = it.inner_stride(0), sb = it.inner_stride(1);
  if (pa != nullptr && pb != nullptr) {
    it.for_each_row([&](const int64_t* off, int64_t oo, int64_t len) {
      binary_row(pa + off[0], sa, pb + off[1], sb, o + oo, len, f);
    });
    return;
  }
  // Mixed dtypes: convert chunks of each row to CT first.
  constexpr int64_t kChunk = 256;
  CT ba[kChunk], bb[kChunk];
  it.for_each_row([&](const int64_t* off, int64_t oo, int64_t len) {
    for (int64_t c = 0; c < len; c += kChunk) {
      const int64_t m = len - c < kChunk ? len - c : kChunk;
      const CT* xa;
      const CT* xb;
      if (pa != nullptr) {
        xa = pa + off[0] + c * sa;
      } else if (sa == 0) {
        ba[0] = load_cast<CT>(a, off[0]);
        xa = ba;
      } else {
        load_chunk(a, off[0] + c, m, ba);
        xa = ba;
      }
      if (pb != nullptr) {
        xb = pb + off[1] + c * sb;
      } else if (sb == 0) {
        bb[0] = load_cast<CT>(b, off[1]);
        xb = bb;
      } else {
        load_chunk(b, off[1] + c, m, bb);
        xb = bb;
      }
      binary_row(xa, sa, xb, sb, o + oo + c, m, f);
    }
  });
}

// A row operand: a broadcast value (read once) or a contiguous run.
template <bool kBroadcast, typename T>
struct RowSrc {
  const T* p;
  explicit RowSrc(const T* q) : p(q) {}
  T operator[](int64_t j) const { return p[j]; }
};
template <typename T>
struct RowSrc<true, T> {
  T v;
  explicit RowSrc(const T* q) : v(*q) {}
  T operator[](int64_t) const { return v; }
};

template <bool A0, bool B0, bool C0, typename T0, typename T1, typename T2, typename OT, typename F>
inline void ternary_row(const T0* a, const T1* b, const T2* c, OT* o, int64_t len, F& f) {
  const RowSrc<A0, T0> ra(a);
  const RowSrc<B0, T1> rb(b);
  const RowSrc<C0, T2> rc(c);
  for (int64_t j = 0; j < len; ++j) o[j] = f(ra[j], rb[j], rc[j]);
}

// o[j] = f(a[j], b[j], c[j]) where a flagged input is one broadcast value.
template <typename T0, typename T1, typename T2, typename OT, typename F>
inline void ternary_row_dispatch(bool za, bool zb, bool zc, const T0* a, const T1* b, const T2* c,
                                 OT* o, int64_t len, F& f) {
  switch ((za ? 4 : 0) | (zb ? 2 : 0) | (zc ? 1 : 0)) {
    case 0:
      ternary_row<false, false, false>(a, b, c, o, len, f);
      break;
    case 1:
      ternary_row<false, false, true>(a, b, c, o, len, f);
      break;
    case 2:
      ternary_row<false, true, false>(a, b, c, o, len, f);
      break;
    case 3:
      ternary_row<false, true, true>(a, b, c, o, len, f);
      break;
    case 4:
      ternary_row<true, false, false>(a, b, c, o, len, f);
      break;
    case 5:
      ternary_row<true, false, true>(a, b, c, o, len, f);
      break;
    case 6:
      ternary_row<true, true, false>(a, b, c, o, len, f);
      break;
    default:
      ternary_row<true, true, true>(a, b, c, o, len, f);
      break;
  }
}

// out = f(a, b, c) with broadcasting; inputs converted to T0, T1, T2. A null input pointer is
// passed to f as T(0) (for optional operands).
template <typename T0, typename T1, typename T2, typename OT, typename F>
inline void ternary_loop(const Tensor* a, const Tensor* b, const Tensor* c, const Tensor& out,
                         F&& f) {
  const int64_t n = out.numel();
  if (n <= 0) return;
  OT* o = out.data_as<OT>();
  const bool a1 = a == nullptr || a->numel() == 1;
  const bool b1 = b == nullptr || b->numel() == 1;
  const bool c1 = c == nullptr || c->numel() == 1;
  T0 as = a != nullptr && a1 ? load_cast<T0>(*a, 0) : T0(0);
  T1 bs = b != nullptr && b1 ? load_cast<T1>(*b, 0) : T1(0);
  T2 cs = c != nullptr && c1 ? load_cast<T2>(*c, 0) : T2(0);
  const T0* pa = a1 ? &as : (readable_as<T0>(*a) ? a->data_as<const T0>() : nullptr);
  const T1* pb = b1 ? &bs : (readable_as<T1>(*b) ? b->data_as<const T1>() : nullptr);
  const T2* pc = c1 ? &cs : (readable_as<T2>(*c) ? c->data_as<const T2>() : nullptr);
  const Tensor* ins[3] = {a1 ? nullptr : a, b1 ? nullptr : b, c1 ? nullptr : c};
  if (pa != nullptr && pb != nullptr && pc != nullptr) {
    bool full = (a1 || a->numel() == n) && (b1 || b->numel() == n) && (c1 || c->numel() == n);
    if (full) {
      ternary_row_dispatch(a1, b1, c1, pa, pb, pc, o, n, f);
      return;
    }
    NdIter<3> it;
    it.init(out, ins);
    // Inner strides are 0 (broadcast) or 1 (the innermost dims line up).
    const bool za = it.inner_stride(0) == 0, zb = it.inner_stride(1) == 0,
               zc = it.inner_stride(2) == 0;
    it.for_each_row([&](const int64_t* off, int64_t oo, int64_t len) {
      ternary_row_dispatch(za, zb, zc, pa + off[0], pb + off[1], pc + off[2], o + oo, len, f);
    });
    return;
  }
  NdIter<3> it;
  it.init(out, ins);
  const int64_t sa = it.inner_stride(0), sb = it.inner_stride(1), sc = it.inner_stride(2);
  it.for_each_row([&](const int64_t* off, int64_t oo, int64_t len) {
    OT* y = o + oo;
    for (int64_t j = 0; j < len; ++j) {
      T0 x0 = a1 ? as : load_cast<T0>(*a, off[0] + j * sa);
      T1 x1 = b1 ? bs : load_cast<T1>(*b, off[1] + j * sb);
      T2 x2 = c1 ? cs : load_cast<T2>(*c, off[2] + j * sc);
      y[j] = f(x0, x1, x2);
    }
  });
}

// Fills out with v (converted to out's dtype).
template <typename T>
inline void fill_typed(const Tensor& out, T v) {
  int64_t n = out.numel();
  T* o = out.data_as<T>();
  for (int64_t i = 0; i < n; ++i) o[i] = v;
}

// ---------------------------------------------------------------------------------------------
// Vectorized float32 math (GCC / clang vector extensions, 4 lanes: plain SSE2 / NEON). Branch-free
// so it runs as SIMD without -ffast-math / -fno-trapping-math. Accuracy vs the exact function:
// exp <= 1.5 ulp, tanh <= 2.5 ulp, erf <= 4 ulp (checked against float64 references).
namespace vm {

typedef float vf4 __attribute__((vector_size(16)));
typedef int32_t vi4 __attribute__((vector_size(16)));

inline vf4 splat(float v) {
  return vf4{v, v, v, v};
}
inline vi4 splati(int32_t v) {
  return vi4{v, v, v, v};
}
// m ? a : b, m from a vector comparison (all ones / zeros per lane).
inline vf4 select(vi4 m, vf4 a, vf4 b) {
  return reinterpret_cast<vf4>((m & reinterpret_cast<vi4>(a)) | (~m & reinterpret_cast<vi4>(b)));
}
// True when any lane of a comparison mask is set.
inline bool any(vi4 m) {
  int32_t t[4];
  std::memcpy(t, &m, sizeof(t));
  return (t[0] | t[1] | t[2] | t[3]) != 0;
}
inline vf4 vabs(vf4 x) {
  return reinterpret_cast<vf4>(reinterpret_cast<vi4>(x) & splati(0x7fffffff));
}
inline vf4 copysign_v(vf4 mag, vf4 sgn) {
  return reinterpret_cast<vf4>((reinterpret_cast<vi4>(mag) & splati(0x7fffffff)) |
                               (reinterpret_cast<vi4>(sgn) & splati(INT32_MIN)));
}

// c0 * x^n + c1 * x^(n-1) + ... + cn by Horner's rule, in the same operation order as writing the
// steps out (p = c0; p = p * x + c1; ...).
template <typename... Cs>
inline vf4 horner(vf4 x, float c0, Cs... cs) {
  vf4 p = splat(c0);
  ((p = p * x + splat(cs)), ...);
  return p;
}

// e^x, <= 1.5 ulp; NaN -> NaN, overflow -> inf, underflow -> 0 (denormals kept).
inline vf4 exp_v(vf4 x) {
  const vi4 nan = x != x;
  vf4 xc = select(x < splat(-104.0f), splat(-104.0f), x);
  xc = select(xc > splat(89.0f), splat(89.0f), xc);
  xc = select(nan, splat(0.0f), xc);
  const vf4 magic = splat(12582912.0f);
  const vf4 fn = (xc * splat(1.44269504088896341f) + magic) - magic;
  vf4 r = xc - fn * splat(0.693359375f);
  r = r - fn * splat(-2.12194440e-4f);
  const vf4 p = horner(r, 1.9875691500E-4f, 1.3981999507E-3f, 8.3334519073E-3f, 4.1665795894E-2f,
                       1.6666665459E-1f, 5.0000001201E-1f);
  const vf4 y = p * (r * r) + r + splat(1.0f);
  const vi4 n = __builtin_convertvector(fn, vi4);
  const vi4 n1 = n >> 1;
  const vi4 n2 = n - n1;
  const vf4 s1 = reinterpret_cast<vf4>((n1 + splati(127)) << 23);
  const vf4 s2 = reinterpret_cast<vf4>((n2 + splati(127)) << 23);
  return select(nan, x, y * s1 * s2);
}

// tanh(x): odd polynomial below 0.625, 1 - 2 / (e^{2|x|} + 1) above.
inline vf4 tanh_v(vf4 x) {
  const vf4 z = x * x;
  const vf4 p = horner(z, -5.70498872745E-3f, 2.06390887954E-2f, -5.37397155531E-2f,
                       1.33314422036E-1f, -3.33332819422E-1f);
  const vf4 small = p * z * x + x;
  const vf4 ax = vabs(x);
  const vf4 e = exp_v(ax + ax);
  const vf4 large = copysign_v(splat(1.0f) - splat(2.0f) / (e + splat(1.0f)), x);
  return select(ax < splat(0.625f), small, large);
}

// erf(x): x * P(x^2) below 0.9, 1 - exp(Q(|x|)) above (|x| clamped to 4, where erf rounds to 1).
inline vf4 erf_v(vf4 x) {
  const vf4 s = x * x;
  const vf4 p = horner(s, -6.144192318248839e-4f, 5.023307398046712e-3f, -2.678741432984851e-2f,
                       1.1282409082474956e-1f, -3.761255503960845e-1f, 1.1283791618895473f);
  const vf4 small = p * x;
  const vf4 ax = vabs(x);
  const vi4 big = ax >= splat(0.9f);  // false for NaN: the polynomial keeps NaN
  if (!any(big)) return small;
  const vf4 t = select(ax > splat(4.0f), splat(4.0f), ax) - splat(2.45f);
  const vf4 q = horner(t, 1.610240309601952e-06f, -1.3952060784717562e-05f, 8.218180942594706e-05f,
                       -4.440836657631935e-04f, 2.2731369447752743e-03f, -1.1302238329823178e-02f,
                       -9.422318445145933e-01f, -5.258373854373187f, -7.541539606614075f);
  const vf4 large = copysign_v(splat(1.0f) - exp_v(q), x);
  return select(big, large, small);
}

// Correctly rounded square root (sqrtps on x86; NaN for negative inputs, no errno).
inline vf4 sqrt_v(vf4 x) {
#if defined(__SSE2__)
  return reinterpret_cast<vf4>(_mm_sqrt_ps(reinterpret_cast<__m128>(x)));
#else
  return vf4{std::sqrt(x[0]), std::sqrt(x[1]), std::sqrt(x[2]), std::sqrt(x[3])};
#endif
}

// Applies vf(vf4) to n floats (in may alias out); the tail goes through a padded vector so every
// element sees the same arithmetic.
template <typename VF>
inline void map_f32(const float* in, float* out, int64_t n, VF&& vf) {
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    vf4 v;
    std::memcpy(&v, in + i, sizeof(v));
    v = vf(v);
    std::memcpy(out + i, &v, sizeof(v));
  }
  if (i < n) {
    float buf[4] = {0, 0, 0, 0};
    std::memcpy(buf, in + i, (n - i) * sizeof(float));
    vf4 v;
    std::memcpy(&v, buf, sizeof(v));
    v = vf(v);
    std::memcpy(buf, &v, sizeof(v));
    std::memcpy(out + i, buf, (n - i) * sizeof(float));
  }
}
}  // namespace vm

// out (float32) = vf over in converted to float32 (same numel).
template <typename VF>
inline void map_to_f32(const Tensor& in, const Tensor& out, VF&& vf) {
  const int64_t n = out.numel();
  float* o = out.data_as<float>();
  if (in.dtype() == ScalarType::Float32) {
    vm::map_f32(in.data_as<const float>(), o, n, vf);
    return;
  }
  float buf[256];
  for (int64_t i = 0; i < n; i += 256) {
    const int64_t len = n - i < 256 ? n - i : 256;
    for (int64_t j = 0; j < len; ++j) buf[j] = load_cast<float>(in, i + j);
    vm::map_f32(buf, o + i, len, vf);
  }
}

// ---------------------------------------------------------------------------------------------
// Common drivers

inline bool ends_with(const char* s, const char* suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

// Validates (self, other, out) for a binary op whose Tensor slots also accept Scalars.
// Fills a, b and common; checks out's shape (but not its dtype). Which operand is a schema
// `Scalar` slot follows from the overload name: "*.Scalar" / "*.Scalar_mode" /
// "pow.Tensor_Scalar" (other) and "pow.Scalar" (self).
inline bool prepare_binary(KernelContext& ctx, const char* op, EValue** args, size_t ia, size_t ib,
                           size_t iout, Operand* a, Operand* b, Tensor** out, ScalarType* common) {
  const bool a_scalar_slot = strcmp(op, "aten::pow.Scalar") == 0;
  const bool b_scalar_slot =
      !a_scalar_slot && (ends_with(op, "Scalar") || ends_with(op, ".Scalar_mode"));
  if (!get_operand(ctx, op, args, ia, "self", a, true, a_scalar_slot)) return false;
  if (!get_operand(ctx, op, args, ib, "other", b, true, b_scalar_slot)) return false;
  *out = get_tensor(ctx, op, args, iout, "out");
  if (*out == nullptr) return false;
  if (!check_broadcast_out(ctx, op, **out, &a->t, &b->t)) return false;
  *common = result_type(*a, *b);
  return true;
}

// Fetches (self, out) of a unary op and checks their shapes match.
inline bool get_unary_args(KernelContext& ctx, const char* op, EValue** args, size_t num_args,
                           Tensor** in, Tensor** out) {
  if (!check_nargs(ctx, op, num_args, 2)) return false;
  *in = get_tensor(ctx, op, args, 0, "self");
  if (*in == nullptr) return false;
  *out = get_tensor(ctx, op, args, 1, "out");
  if (*out == nullptr) return false;
  return check_same_shape(ctx, op, **out, **in);
}

// Unary op that maps a real dtype to itself (or int -> float for float ops).
// `to_float`: integer / bool inputs produce Float32 (PyTorch's int_to_float promotion).
// f is a generic callable applied to values of the out C type.
template <typename F>
inline void unary_op(KernelContext& ctx, const char* op, EValue** args, size_t num_args,
                     bool to_float, bool allow_bool, F&& f) {
  Tensor *in, *out;
  if (!get_unary_args(ctx, op, args, num_args, &in, &out)) return;
  if (!allow_bool && in->dtype() == ScalarType::Bool) {
    ctx.fail(Error::InvalidArgument, "%s: not supported for bool tensors", op);
    return;
  }
  ScalarType want = to_float ? to_float_type(in->dtype()) : in->dtype();
  if (!check_dtype(ctx, op, *out, want)) return;
  auto run = [&](auto z) {
    using T = decltype(z);
    unary_loop<T, T>(*in, *out, [&](T x) -> T { return f(x); });
  };
  if (to_float) {
    dispatch_float(want, run);  // instantiates f for float / double only
  } else {
    dispatch_real(want, run);
  }
}

// unary_op for float ops with a SIMD float32 path: vf(vm::vf4) for float32 results, f for float64.
template <typename F, typename VF>
inline void unary_op_vec(KernelContext& ctx, const char* op, EValue** args, size_t num_args, F&& f,
                         VF&& vf) {
  Tensor *in, *out;
  if (!get_unary_args(ctx, op, args, num_args, &in, &out)) return;
  ScalarType want = to_float_type(in->dtype());
  if (!check_dtype(ctx, op, *out, want)) return;
  if (want == ScalarType::Float32) {
    map_to_f32(*in, *out, vf);
  } else {
    unary_loop<double, double>(*in, *out, [&](double x) -> double { return f(x); });
  }
}

// Checks of the float-only unary ops: input and out floating with the same dtype and shape.
inline bool check_float_unary(KernelContext& ctx, const char* op, const Tensor& in,
                              const Tensor& out) {
  if (!check_same_shape(ctx, op, out, in)) return false;
  if (!is_floating(in.dtype())) {
    ctx.fail(Error::InvalidArgument, "%s: expected a floating point input, got %s", op,
             dtype_name(in.dtype()));
    return false;
  }
  return check_dtype(ctx, op, out, in.dtype());
}

// Unary float-only op (activations): input and out floating with the same dtype.
template <typename F>
inline void unary_float_op(KernelContext& ctx, const char* op, EValue** args, Tensor* in,
                           Tensor* out, F&& f) {
  if (!check_float_unary(ctx, op, *in, *out)) return;
  dispatch_float(in->dtype(), [&](auto z) {
    using T = decltype(z);
    unary_loop<T, T>(*in, *out, [&](T x) -> T { return f(x); });
  });
}

// ---------------------------------------------------------------------------------------------
// Integer division helpers (caller checks b != 0). b == -1 is special-cased: INT_MIN / -1 traps.

template <typename T>
inline T int_div_trunc(T a, T b) {
  if constexpr (std::is_signed<T>::value) {
    if (b == T(-1)) return w_neg(a);
  }
  return static_cast<T>(a / b);
}
template <typename T>
inline T int_div_floor(T a, T b) {
  if constexpr (std::is_signed<T>::value) {
    if (b == T(-1)) return w_neg(a);
    T q = static_cast<T>(a / b);
    T r = static_cast<T>(a % b);
    if (r != 0 && ((a < 0) != (b < 0))) --q;
    return q;
  } else {
    return static_cast<T>(a / b);
  }
}
template <typename T>
inline T int_remainder(T a, T b) {
  if constexpr (std::is_signed<T>::value) {
    if (b == T(-1)) return T(0);
    T r = static_cast<T>(a % b);
    if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
    return r;
  } else {
    return static_cast<T>(a % b);
  }
}
template <typename T>
inline T int_fmod(T a, T b) {
  if constexpr (std::is_signed<T>::value) {
    if (b == T(-1)) return T(0);
  }
  return static_cast<T>(a % b);
}

// Python-style floor division of floats (c10::div_floor_floating).
template <typename T>
inline T float_div_floor(T a, T b) {
  if (b == T(0)) return a / b;
  T mod = std::fmod(a, b);
  T div = (a - mod) / b;
  if (mod != T(0) && ((b < T(0)) != (mod < T(0)))) div -= T(1);
  T floordiv;
  if (div != T(0)) {
    floordiv = std::floor(div);
    if (div - floordiv > T(0.5)) floordiv += T(1);
  } else {
    floordiv = std::copysign(T(0), a / b);
  }
  return floordiv;
}
template <typename T>
inline T float_remainder(T a, T b) {
  T mod = std::fmod(a, b);
  if (mod != T(0) && ((b < T(0)) != (mod < T(0)))) mod += b;
  return mod;
}

// Integer power with PyTorch's rules for negative exponents (native::powi); wraps on overflow.
template <typename T>
inline T int_pow(T a, T b) {
  if constexpr (std::is_signed<T>::value) {
    if (b < 0) {
      if (a == 1) return T(1);
      if (a == -1) return (b % 2) != 0 ? T(-1) : T(1);
      return T(0);
    }
  }
  T result = T(1);
  T base = a;
  using U = std::make_unsigned_t<T>;
  U e = static_cast<U>(b);
  while (e) {
    if (e & 1) result = w_mul(result, base);
    e >>= 1;
    if (e) base = w_mul(base, base);
  }
  return result;
}

// add / sub / rsub: out = x + alpha * y, with x = self, y = other (or swapped for rsub) and
// alpha negated for subtraction. Args: (self, other, alpha, out).
inline void add_like_op(KernelContext& ctx, const char* op, EValue** args, size_t num_args,
                        bool subtract, bool reverse) {
  if (!check_nargs(ctx, op, num_args, 4)) return;
  Operand a, b;
  Tensor* out;
  ScalarType common;
  if (!prepare_binary(ctx, op, args, 0, 1, 3, &a, &b, &out, &common)) return;
  if (!get_scalar(ctx, op, args, 2, "alpha")) return;
  const EValue& alpha = *args[2];
  if (!check_dtype(ctx, op, *out, common)) return;
  if (subtract && (a.t.dtype() == ScalarType::Bool || b.t.dtype() == ScalarType::Bool)) {
    ctx.fail(Error::InvalidArgument, "%s: subtraction with a bool tensor is not supported", op);
    return;
  }

  if (alpha.is_double() && !is_floating(common)) {
    ctx.fail(Error::InvalidArgument,
             "%s: for integral input tensors, alpha must not be a floating point number", op);
    return;
  }
  const Tensor& x = reverse ? b.t : a.t;
  const Tensor& y = reverse ? a.t : b.t;
  dispatch_real(common, [&](auto z) {
    using T = decltype(z);
    if constexpr (std::is_same<T, bool>::value) {
      const bool al = scalar_to<bool>(alpha);
      binary_loop<bool, bool>(x, y, *out, [al](bool p, bool q) -> bool { return p || (al && q); });
    } else {
      T al = scalar_to<T>(alpha);
      if (subtract) al = w_neg(al);
      if (al == T(1)) {
        binary_loop<T, T>(x, y, *out, [](T p, T q) -> T { return w_add(p, q); });
      } else {
        binary_loop<T, T>(x, y, *out, [al](T p, T q) -> T { return w_add(p, w_mul(al, q)); });
      }
    }
  });
}

// Binary op computed in the common dtype with out dtype == common (maximum, mul, ...).
// f is a generic callable; `allow_bool` / `allow_float` restrict the common dtype.
template <typename F>
inline void same_type_binary_op(KernelContext& ctx, const char* op, EValue** args, size_t num_args,
                                bool allow_bool, bool allow_float, F&& f) {
  if (!check_nargs(ctx, op, num_args, 3)) return;
  Operand a, b;
  Tensor* out;
  ScalarType common;
  if (!prepare_binary(ctx, op, args, 0, 1, 2, &a, &b, &out, &common)) return;
  if ((!allow_bool && common == ScalarType::Bool) || (!allow_float && is_floating(common))) {
    ctx.fail(Error::InvalidArgument, "%s: not supported for dtype %s", op, dtype_name(common));
    return;
  }
  if (!check_dtype(ctx, op, *out, common)) return;
  dispatch_real(common, [&](auto z) {
    using T = decltype(z);
    binary_loop<T, T>(a.t, b.t, *out, [&](T p, T q) -> T { return f(p, q); });
  });
}

// Integer-division family (remainder, fmod, floor_divide, div with rounding): integers fail on a
// zero divisor (ZeroDivisionError in PyTorch); floats use ffn. Bool is rejected.
template <typename IF, typename FF>
inline void division_op(KernelContext& ctx, const char* op, const Tensor& a, const Tensor& b,
                        const Tensor& out, ScalarType common, IF&& ifn, FF&& ffn) {
  if (common == ScalarType::Bool) {
    ctx.fail(Error::InvalidArgument, "%s: not supported for bool", op);
    return;
  }
  if (!check_dtype(ctx, op, out, common)) return;
  bool zero = false;
  dispatch_real(common, [&](auto z) {
    using T = decltype(z);
    if constexpr (std::is_floating_point<T>::value) {
      binary_loop<T, T>(a, b, out, [&](T p, T q) -> T { return ffn(p, q); });
    } else if constexpr (is_int_v<T>) {
      binary_loop<T, T>(a, b, out, [&](T p, T q) -> T {
        if (q == T(0)) {
          zero = true;
          return T(0);
        }
        return ifn(p, q);
      });
    }
  });
  if (zero)
    ctx.fail(Error::InvalidArgument, "%s: ZeroDivisionError (integer division by zero)", op);
}

// Kernel body of the (self, other, out) division ops (floor_divide, remainder, fmod).
template <typename IF, typename FF>
inline void division_binary_op(KernelContext& ctx, const char* op, EValue** args, size_t num_args,
                               IF&& ifn, FF&& ffn) {
  if (!check_nargs(ctx, op, num_args, 3)) return;
  Operand a, b;
  Tensor* out;
  ScalarType common;
  if (!prepare_binary(ctx, op, args, 0, 1, 2, &a, &b, &out, &common)) return;
  division_op(ctx, op, a.t, b.t, *out, common, ifn, ffn);
}

// Comparison: computed in the common dtype, bool out.
template <typename F>
inline void compare_op(KernelContext& ctx, const char* op, EValue** args, size_t num_args, F&& f) {
  if (!check_nargs(ctx, op, num_args, 3)) return;
  Operand a, b;
  Tensor* out;
  ScalarType common;
  if (!prepare_binary(ctx, op, args, 0, 1, 2, &a, &b, &out, &common)) return;
  if (!check_dtype(ctx, op, *out, ScalarType::Bool)) return;
  dispatch_real(common, [&](auto z) {
    using T = decltype(z);
    binary_loop<T, bool>(a.t, b.t, *out, [&](T p, T q) -> bool { return f(p, q); });
  });
}

// Logical and/or/xor: truthiness of any dtype, bool out.
template <typename F>
inline void logical_binary_op(KernelContext& ctx, const char* op, EValue** args, size_t num_args,
                              F&& f) {
  compare_op(ctx, op, args, num_args, [&](auto p, auto q) -> bool {
    using T = decltype(p);
    return f(p != T(0), q != T(0));
  });
}

// clamp family: args are (self, [min], [max], out); imin / imax < 0 when the overload lacks that
// bound. Bounds may be None (optional), Scalars or tensors (broadcast with self). Out dtype is the
// promotion of self and the present bounds; NaN propagates.
inline void clamp_op(KernelContext& ctx, const char* op, EValue** args, size_t num_args, int imin,
                     int imax) {
  const size_t nargs = 2 + (imin >= 0) + (imax >= 0);
  if (!check_nargs(ctx, op, num_args, nargs)) return;
  Operand self, lo, hi;
  const bool scalar_slots = ends_with(op, ".default");  // Scalar min / max overloads
  if (!get_operand(ctx, op, args, 0, "self", &self, false)) return;
  if (imin >= 0 && args[imin] != nullptr && !args[imin]->is_none() &&
      !get_operand(ctx, op, args, imin, "min", &lo, true, scalar_slots)) {
    return;
  }
  if (imax >= 0 && args[imax] != nullptr && !args[imax]->is_none() &&
      !get_operand(ctx, op, args, imax, "max", &hi, true, scalar_slots)) {
    return;
  }
  if (!lo.present && !hi.present) {
    ctx.fail(Error::InvalidArgument, "%s: at least one of 'min' or 'max' must not be None", op);
    return;
  }
  Tensor* out = get_tensor(ctx, op, args, nargs - 1, "out");
  if (out == nullptr) return;
  if (!check_broadcast_out(ctx, op, *out, &self.t, lo.present ? &lo.t : nullptr,
                           hi.present ? &hi.t : nullptr)) {
    return;
  }
  ScalarType common = result_type(self, lo, hi);
  if (!check_dtype(ctx, op, *out, common)) return;
  const Tensor* pl = lo.present ? &lo.t : nullptr;
  const Tensor* ph = hi.present ? &hi.t : nullptr;
  dispatch_real(common, [&](auto z) {
    using T = decltype(z);
    if (pl != nullptr && ph != nullptr) {
      ternary_loop<T, T, T, T>(&self.t, pl, ph, *out,
                               [](T x, T l, T h) -> T { return nan_min(nan_max(x, l), h); });
    } else if (pl != nullptr) {
      binary_loop<T, T>(self.t, *pl, *out, [](T x, T l) -> T { return nan_max(x, l); });
    } else {
      binary_loop<T, T>(self.t, *ph, *out, [](T x, T h) -> T { return nan_min(x, h); });
    }
  });
}

// Optional ScalarType argument (an Int holding the schema's ScalarType code, or None). On
// success *dtype is the requested type, or `dflt` when None.
inline bool get_opt_dtype(KernelContext& ctx, const char* op, EValue** args, size_t i,
                          ScalarType dflt, ScalarType* dtype) {
  if (args[i] == nullptr || args[i]->is_none()) {
    *dtype = dflt;
    return true;
  }
  if (!args[i]->is_int() || args[i]->to_int() < 0 || args[i]->to_int() >= kNumScalarTypes) {
    ctx.fail(Error::InvalidArgument, "%s: dtype must be a ScalarType code or None", op);
    return false;
  }
  *dtype = static_cast<ScalarType>(args[i]->to_int());
  return true;
}

// out = src converted elementwise to out's dtype (same numel), with PyTorch's cast rules.
inline void convert_copy(const Tensor& src, const Tensor& out) {
  const int64_t n = out.numel();
  if (n <= 0) return;
  if (src.dtype() == out.dtype()) {
    if (src.data() != out.data()) memmove(out.data(), src.data(), out.nbytes());
    return;
  }
  dispatch_real(out.dtype(), [&](auto zo) {
    using TO = decltype(zo);
    dispatch_real(src.dtype(), [&](auto zi) {
      using TI = decltype(zi);
      const TI* x = src.data_as<const TI>();
      TO* y = out.data_as<TO>();
      for (int64_t i = 0; i < n; ++i) y[i] = convert<TO>(x[i]);
    });
  });
}

// c10's checked Scalar conversion (Scalar::to<T>): true when the value (a wrapped scalar or a
// one-element tensor) does not fit T. Negative integers may wrap into unsigned types; infinities
// fit floating types.
template <typename T>
inline bool value_overflows(const Tensor& v) {
  using L = std::numeric_limits<T>;
  if (std::is_same<T, bool>::value || v.dtype() == ScalarType::Bool) return false;
  if (is_floating(v.dtype())) {
    const double f = load_cast<double>(v, 0);
    if (L::has_infinity && std::isinf(f)) return false;
    if (!L::has_quiet_NaN && f != f) return true;
    return f < static_cast<double>(L::lowest()) || f > static_cast<double>(L::max());
  }
  const int64_t f = load_cast<int64_t>(v, 0);
  if constexpr (std::is_floating_point<T>::value) {
    return false;
  } else if constexpr (!std::is_signed<T>::value) {
    const uint64_t mx = static_cast<uint64_t>(L::max());
    return (f > 0 && static_cast<uint64_t>(f) > mx) ||
           (f < 0 && static_cast<uint64_t>(0) - static_cast<uint64_t>(f) > mx);
  } else {
    return f < static_cast<int64_t>(L::lowest()) || f > static_cast<int64_t>(L::max());
  }
}

// Fails unless the one-element `v` converts to `dtype` without overflow.
inline bool check_value_fits(KernelContext& ctx, const char* op, const Tensor& v,
                             ScalarType dtype) {
  bool bad = false;
  dispatch_real(dtype, [&](auto z) { bad = value_overflows<decltype(z)>(v); });
  if (bad) {
    ctx.fail(Error::InvalidArgument, "%s: value cannot be converted to type %s without overflow",
             op, dtype_name(dtype));
    return false;
  }
  return true;
}

// Fills out with a Scalar EValue or a one-element tensor, cast to out's dtype.
inline void fill_with(const Tensor& out, const Operand& v) {
  dispatch_real(out.dtype(), [&](auto z) {
    using T = decltype(z);
    fill_typed<T>(out, load_cast<T>(v.t, 0));
  });
}

// unary_float_op with a SIMD path for float32 (vf) and f for float64.
template <typename F, typename VF>
inline void unary_float_op_vec(KernelContext& ctx, const char* op, Tensor* in, Tensor* out, F&& f,
                               VF&& vf) {
  if (!check_float_unary(ctx, op, *in, *out)) return;
  if (in->dtype() == ScalarType::Float32) {
    map_to_f32(*in, *out, vf);
  } else {
    unary_loop<double, double>(*in, *out, [&](double x) -> double { return f(x); });
  }
}

}  // namespace ew
}  // namespace kernels
}  // namespace ember
