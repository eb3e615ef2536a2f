// Helpers shared by the reduction kernels: dim-list parsing, output shape checks and a generic
// reduction engine over contiguous inputs.
//
// The engine coalesces the input dims into alternating kept / reduced groups. When the
// innermost group is reduced, every output element reduces a set of contiguous runs; when it
// is kept, outputs are produced in chunks of contiguous columns and the reduced dims are
// walked as rows (outer x reduce x inner), so the inner loop is always unit-stride.
// Accumulation happens in double for floating outputs (int64 for integer outputs).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace reduce {

// Dispatches on a real dtype: `BODY` is instantiated with `T` = the element's C type.
#define EMBER_REDUCE_DISPATCH(dtype, ...) \
  switch (dtype) {                        \
    case ScalarType::Float32: {           \
      using T = float;                    \
      __VA_ARGS__;                        \
    } break;                              \
    case ScalarType::Float64: {           \
      using T = double;                   \
      __VA_ARGS__;                        \
    } break;                              \
    case ScalarType::Int64: {             \
      using T = int64_t;                  \
      __VA_ARGS__;                        \
    } break;                              \
    case ScalarType::Int32: {             \
      using T = int32_t;                  \
      __VA_ARGS__;                        \
    } break;                              \
    case ScalarType::Int16: {             \
      using T = int16_t;                  \
      __VA_ARGS__;                        \
    } break;                              \
    case ScalarType::Int8: {              \
      using T = int8_t;                   \
      __VA_ARGS__;                        \
    } break;                              \
    case ScalarType::UInt8: {             \
      using T = uint8_t;                  \
      __VA_ARGS__;                        \
    } break;                              \
    case ScalarType::Bool: {              \
      using T = bool;                     \
      __VA_ARGS__;                        \
    } break;                              \
    default:                              \
      break;                              \
  }

inline bool is_real_dtype(ScalarType t) {
  return t != ScalarType::Float16 && t != ScalarType::BFloat16 &&
         is_valid_scalar_type(static_cast<int>(t));
}

template <typename T>
inline bool is_nan(T x) {
  return x != x;  // false for every integer type
}

// Which dims of the input are reduced.
struct DimMask {
  bool reduced[kMaxDims] = {false};
  bool all = false;  // reduce everything (also set for 0-d inputs)
};

// Parses a `int[1]? dim` / `int[1] dim` / `int dim` argument. None, and (when
// `empty_means_all`) an empty list, reduce every dim. Fails ctx on bad dims or repeats.
inline bool parse_dims(KernelContext& ctx, const char* op, const EValue& arg, const Tensor& in,
                       bool empty_means_all, DimMask* mask) {
  *mask = DimMask();
  const int nd = in.dim();
  if (arg.is_none()) {
    mask->all = true;
  } else if (arg.is_int()) {
    int64_t d;
    if (!shape::wrap_dim(ctx, op, arg.to_int(), nd, &d)) return false;
    if (nd > 0) mask->reduced[d] = true;
  } else if (arg.is_int_list() && (arg.int_list().size == 0 || arg.int_list().data != nullptr)) {
    ArrayRef<int64_t> dims = arg.int_list();
    if (dims.size == 0) {
      if (empty_means_all) mask->all = true;
    }
    bool seen[kMaxDims] = {false};
    for (size_t i = 0; i < dims.size; ++i) {
      int64_t d;
      if (!shape::wrap_dim(ctx, op, dims[i], nd, &d)) return false;
      if (nd == 0) continue;
      if (seen[d]) {
        ctx.fail(Error::InvalidArgument, "%s: dim %lld appears multiple times in the list", op,
                 static_cast<long long>(d));
        return false;
      }
      seen[d] = true;
      mask->reduced[d] = true;
    }
  } else {
    ctx.fail(Error::InvalidArgument, "%s: dim must be an int, an int list or None", op);
    return false;
  }
  if (nd == 0) mask->all = true;
  if (mask->all)
    for (int i = 0; i < nd; ++i) mask->reduced[i] = true;
  return true;
}

// Output shape of reducing `in` over `mask`.
inline int reduced_shape(const Tensor& in, const DimMask& mask, bool keepdim, int64_t* sizes) {
  int n = 0;
  for (int i = 0; i < in.dim(); ++i) {
    if (!mask.reduced[i])
      sizes[n++] = in.size(i);
    else if (keepdim)
      sizes[n++] = 1;
  }
  return n;
}

// Checks out's shape against the reduction's; returns false (ctx failed) otherwise.
inline bool check_reduced_out(KernelContext& ctx, const char* op, const Tensor& in,
                              const DimMask& mask, bool keepdim, const Tensor& out) {
  int64_t sizes[kMaxDims];
  int n = reduced_shape(in, mask, keepdim, sizes);
  return shape::check_out_shape(ctx, op, out, sizes, n);
}

// Number of elements each output reduces.
inline int64_t reduce_count(const Tensor& in, const DimMask& mask) {
  int64_t n = 1;
  for (int i = 0; i < in.dim(); ++i)
    if (mask.reduced[i]) n *= in.size(i);
  return n;
}

// Fails unless every reduced dim is non-empty (ops without an identity: max, argmax, ...).
inline bool check_nonempty_reduction(KernelContext& ctx, const char* op, const Tensor& in,
                                     const DimMask& mask) {
  for (int i = 0; i < in.dim(); ++i) {
    if (mask.reduced[i] && in.size(i) == 0) {
      ctx.fail(Error::InvalidArgument,
               "%s: cannot reduce over dim %d of size 0 (the operation has no identity)", op, i);
      return false;
    }
  }
  return true;
}

// Iterates offsets of a set of (size, stride) dims in row-major order.
struct Odometer {
  int n = 0;
  int64_t sizes[kMaxDims];
  int64_t strides[kMaxDims];
  int64_t count() const {
    int64_t c = 1;
    for (int i = 0; i < n; ++i) c *= sizes[i];
    return c;
  }
};

template <typename F>
inline void for_each_offset(const Odometer& od, int64_t base, F&& f) {
  int64_t idx[kMaxDims] = {0};
  const int64_t total = od.count();
  int64_t off = base;
  for (int64_t i = 0; i < total; ++i) {
    f(off);
    for (int d = od.n - 1; d >= 0; --d) {
      off += od.strides[d];
      if (++idx[d] < od.sizes[d]) break;
      off -= od.strides[d] * od.sizes[d];
      idx[d] = 0;
    }
  }
}

// The reduction structure after coalescing.
struct Plan {
  bool inner_reduced = true;  // case A: innermost group reduced (or everything reduced)
  int64_t inner = 1;          // length of the innermost group (contiguous)
  Odometer outer;             // kept dims (excluding the innermost group in case B)
  Odometer red;               // reduced dims (excluding the innermost group in case A)
  int64_t count = 1;          // elements per output
  int64_t out_numel = 1;
};

inline Plan make_plan(const Tensor& in, const DimMask& mask) {
  Plan p;
  // Coalesce: drop size-1 dims, merge neighbours with the same flag.
  int ng = 0;
  int64_t gsize[kMaxDims];
  bool gred[kMaxDims];
  for (int i = 0; i < in.dim(); ++i) {
    int64_t s = in.size(i);
    if (s == 1) continue;
    bool r = mask.reduced[i];
    if (ng > 0 && gred[ng - 1] == r) {
      gsize[ng - 1] *= s;
    } else {
      gsize[ng] = s;
      gred[ng] = r;
      ++ng;
    }
  }
  int64_t gstride[kMaxDims];
  int64_t st = 1;
  for (int g = ng - 1; g >= 0; --g) {
    gstride[g] = st;
    st *= gsize[g];
  }
  p.count = 1;
  p.out_numel = 1;
  for (int g = 0; g < ng; ++g) (gred[g] ? p.count : p.out_numel) *= gsize[g];
  if (ng == 0) {
    p.inner_reduced = true;
    p.inner = 1;
    return p;
  }
  p.inner_reduced = gred[ng - 1];
  p.inner = gsize[ng - 1];
  for (int g = 0; g < ng - 1; ++g) {
    Odometer& od = gred[g] ? p.red : p.outer;
    od.sizes[od.n] = gsize[g];
    od.strides[od.n] = gstride[g];
    ++od.n;
  }
  return p;
}

// Runs reduction `op` over `in` (element type T) following `plan`. Op provides:
//   using Acc;  static constexpr int kPasses;
//   void init(Acc&) const;
//   void run(Acc&, const T* p, int64_t n, int pass) const;      // contiguous run
//   void row(Acc* acc, const T* p, int64_t n, int pass) const;  // acc[j] with p[j]
//   void end_pass(Acc&, int pass, int64_t count) const;
//   void finish(const Acc&, int64_t out_index, int64_t count) const;
template <typename T, class Op>
inline void run_reduction(const T* data, const Plan& plan, const Op& op) {
  using Acc = typename Op::Acc;
  if (plan.out_numel == 0) return;
  const int64_t count = plan.count;
  if (plan.inner_reduced) {
    const int64_t L = plan.inner;
    int64_t o = 0;
    for_each_offset(plan.outer, 0, [&](int64_t base) {
      Acc acc;
      op.init(acc);
      for (int pass = 0; pass < Op::kPasses; ++pass) {
        if (count > 0)
          for_each_offset(plan.red, base, [&](int64_t off) { op.run(acc, data + off, L, pass); });
        op.end_pass(acc, pass, count);
      }
      op.finish(acc, o++, count);
    });
    return;
  }
  // Columns per chunk: about 16 KiB of accumulators (stays in L1 while the rows stream by).
  constexpr int64_t kChunk = (16384 / sizeof(Acc)) < 4096 ? (16384 / sizeof(Acc)) : 4096;
  const int64_t I = plan.inner;
  Acc acc[kChunk];
  int64_t row_index = 0;
  for_each_offset(plan.outer, 0, [&](int64_t base) {
    for (int64_t c0 = 0; c0 < I; c0 += kChunk) {
      const int64_t c = I - c0 < kChunk ? I - c0 : kChunk;
      for (int64_t j = 0; j < c; ++j) op.init(acc[j]);
      for (int pass = 0; pass < Op::kPasses; ++pass) {
        if (count > 0)
          for_each_offset(plan.red, base + c0,
                          [&](int64_t off) { op.row(acc, data + off, c, pass); });
        for (int64_t j = 0; j < c; ++j) op.end_pass(acc[j], pass, count);
      }
      for (int64_t j = 0; j < c; ++j) op.finish(acc[j], row_index * I + c0 + j, count);
    }
    ++row_index;
  });
}

// Sum of a contiguous run in double with independent partial sums (faster and more accurate
// than one serial accumulator).
template <typename T>
inline double sum_run(const T* p, int64_t n) {
  double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) s[k] += static_cast<double>(p[i + k]);
  for (; i < n; ++i) s[0] += static_cast<double>(p[i]);
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

// Shared validation for "dtype?" keyword arguments: the value is not needed (the output dtype
// already says which type to compute in), only its kind.
inline bool check_opt_dtype_arg(KernelContext& ctx, const char* op, const EValue* v) {
  if (v != nullptr && (v->is_none() || v->is_int())) return true;
  ctx.fail(Error::InvalidArgument, "%s: dtype must be None or an int", op);
  return false;
}

// Converts an element to int64 like a dtype cast (floating values truncate; NaN / out of range
// values, whose conversion is undefined in C++, become INT64_MIN as on x86).
template <typename T>
inline int64_t to_i64(T x) {
  if constexpr (std::is_floating_point<T>::value) {
    if (!(x >= -9.2233720368547758e18 && x < 9.2233720368547758e18))
      return std::numeric_limits<int64_t>::min();
  }
  return static_cast<int64_t>(x);
}

// Stores a double into element i of a float32 / float64 output (the common case) or any other
// dtype via the generic helper.
inline void store_double(const Tensor& out, int64_t i, double v) {
  if (out.dtype() == ScalarType::Float32)
    out.data_as<float>()[i] = static_cast<float>(v);
  else if (out.dtype() == ScalarType::Float64)
    out.data_as<double>()[i] = v;
  else
    store_from_double(out, i, v);
}

// sum / mean with double accumulation (floating outputs). `divide` makes it a mean.
template <typename T>
struct SumDoubleOp {
  using Acc = double;
  static constexpr int kPasses = 1;
  const Tensor* out;
  bool divide;
  void init(Acc& a) const { a = 0; }
  void run(Acc& a, const T* p, int64_t n, int) const { a += sum_run(p, n); }
  void row(Acc* a, const T* p, int64_t n, int) const {
    for (int64_t j = 0; j < n; ++j) a[j] += static_cast<double>(p[j]);
  }
  void end_pass(Acc&, int, int64_t) const {}
  void finish(const Acc& a, int64_t o, int64_t count) const {
    store_double(*out, o, divide ? a / static_cast<double>(count) : a);
  }
};

// sum with int64 accumulation (integer / bool outputs; wraps like PyTorch).
template <typename T>
struct SumIntOp {
  using Acc = int64_t;
  static constexpr int kPasses = 1;
  const Tensor* out;
  void init(Acc& a) const { a = 0; }
  void run(Acc& a, const T* p, int64_t n, int) const {
    uint64_t s = static_cast<uint64_t>(a);
    for (int64_t i = 0; i < n; ++i) s += static_cast<uint64_t>(to_i64(p[i]));
    a = static_cast<int64_t>(s);
  }
  void row(Acc* a, const T* p, int64_t n, int) const {
    for (int64_t j = 0; j < n; ++j)
      a[j] =
          static_cast<int64_t>(static_cast<uint64_t>(a[j]) + static_cast<uint64_t>(to_i64(p[j])));
  }
  void end_pass(Acc&, int, int64_t) const {}
  void finish(const Acc& a, int64_t o, int64_t) const { store_from_int(*out, o, a); }
};

// prod in double (floating outputs) or int64 (integer outputs, wrapping).
template <typename T>
struct ProdDoubleOp {
  using Acc = double;
  static constexpr int kPasses = 1;
  const Tensor* out;
  void init(Acc& a) const { a = 1; }
  void run(Acc& a, const T* p, int64_t n, int) const {
    for (int64_t i = 0; i < n; ++i) a *= static_cast<double>(p[i]);
  }
  void row(Acc* a, const T* p, int64_t n, int) const {
    for (int64_t j = 0; j < n; ++j) a[j] *= static_cast<double>(p[j]);
  }
  void end_pass(Acc&, int, int64_t) const {}
  void finish(const Acc& a, int64_t o, int64_t) const { store_double(*out, o, a); }
};
template <typename T>
struct ProdIntOp {
  using Acc = int64_t;
  static constexpr int kPasses = 1;
  const Tensor* out;
  void init(Acc& a) const { a = 1; }
  void run(Acc& a, const T* p, int64_t n, int) const {
    uint64_t s = static_cast<uint64_t>(a);
    for (int64_t i = 0; i < n; ++i) s *= static_cast<uint64_t>(to_i64(p[i]));
    a = static_cast<int64_t>(s);
  }
  void row(Acc* a, const T* p, int64_t n, int) const {
    for (int64_t j = 0; j < n; ++j)
      a[j] =
          static_cast<int64_t>(static_cast<uint64_t>(a[j]) * static_cast<uint64_t>(to_i64(p[j])));
  }
  void end_pass(Acc&, int, int64_t) const {}
  void finish(const Acc& a, int64_t o, int64_t) const { store_from_int(*out, o, a); }
};

// amax / amin / max / min: NaN propagates (as in PyTorch). Result has the input dtype.
template <typename T, bool kMax>
struct MinMaxOp {
  using Acc = T;
  static constexpr int kPasses = 1;
  const Tensor* out;
  static T pick(T a, T x) {
    if (is_nan(x)) return x;
    if constexpr (kMax) {
      return x > a ? x : a;
    } else {
      return x < a ? x : a;
    }
  }
  void init(Acc& a) const {
    if constexpr (std::is_floating_point<T>::value)
      a = kMax ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
    else
      a = kMax ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
  }
  static T pick_plain(T a, T x) {
    if constexpr (kMax) {
      return x > a ? x : a;
    } else {
      return x < a ? x : a;
    }
  }
  void run(Acc& a, const T* p, int64_t n, int) const {
    if constexpr (std::is_floating_point<T>::value) {
      // Branch-free lanes (vectorizable); NaN is tracked on the side.
      if (is_nan(a)) return;
      T m[8];
      for (int k = 0; k < 8; ++k) m[k] = a;
      bool nan = false;
      int64_t i = 0;
      for (; i + 8 <= n; i += 8) {
        for (int k = 0; k < 8; ++k) {
          T x = p[i + k];
          m[k] = pick_plain(m[k], x);
          nan |= x != x;
        }
      }
      T r = m[0];
      for (int k = 1; k < 8; ++k) r = pick_plain(r, m[k]);
      for (; i < n; ++i) {
        r = pick_plain(r, p[i]);
        nan |= p[i] != p[i];
      }
      a = nan ? std::numeric_limits<T>::quiet_NaN() : r;
    } else {
      T r = a;
      for (int64_t i = 0; i < n; ++i) r = pick_plain(r, p[i]);
      a = r;
    }
  }
  void row(Acc* a, const T* p, int64_t n, int) const {
    for (int64_t j = 0; j < n; ++j) a[j] = pick(a[j], p[j]);
  }
  void end_pass(Acc&, int, int64_t) const {}
  void finish(const Acc& a, int64_t o, int64_t) const { out->data_as<T>()[o] = a; }
};

// any / all over any dtype (nonzero is true); stored as bool or uint8.
template <typename T, bool kAny>
struct AnyAllOp {
  using Acc = bool;
  static constexpr int kPasses = 1;
  const Tensor* out;
  void init(Acc& a) const { a = !kAny; }
  void run(Acc& a, const T* p, int64_t n, int) const {
    bool r = a;
    for (int64_t i = 0; i < n; ++i) {
      if constexpr (kAny)
        r = r || (p[i] != T(0));
      else
        r = r && (p[i] != T(0));
    }
    a = r;
  }
  void row(Acc* a, const T* p, int64_t n, int) const {
    for (int64_t j = 0; j < n; ++j) {
      if constexpr (kAny)
        a[j] = a[j] || (p[j] != T(0));
      else
        a[j] = a[j] && (p[j] != T(0));
    }
  }
  void end_pass(Acc&, int, int64_t) const {}
  void finish(const Acc& a, int64_t o, int64_t) const { store_from_int(*out, o, a ? 1 : 0); }
};

// var / std / var_mean: two passes (mean, then squared deviations with the compensating
// sum of deviations), in double. dof = max(0, count - correction).
struct VarAcc {
  double sum;
  double mean;
  double m2;
  double dev;
};
template <typename T>
struct VarOp {
  using Acc = VarAcc;
  static constexpr int kPasses = 2;
  const Tensor* out;       // var or std
  const Tensor* mean_out;  // var_mean's mean, or nullptr
  double correction;
  bool take_sqrt;
  void init(Acc& a) const { a = VarAcc{0, 0, 0, 0}; }
  void run(Acc& a, const T* p, int64_t n, int pass) const {
    if (pass == 0) {
      a.sum += sum_run(p, n);
      return;
    }
    const double m = a.mean;
    double s2 = 0, s1 = 0;
    for (int64_t i = 0; i < n; ++i) {
      double d = static_cast<double>(p[i]) - m;
      s2 += d * d;
      s1 += d;
    }
    a.m2 += s2;
    a.dev += s1;
  }
  void row(Acc* a, const T* p, int64_t n, int pass) const {
    if (pass == 0) {
      for (int64_t j = 0; j < n; ++j) a[j].sum += static_cast<double>(p[j]);
      return;
    }
    for (int64_t j = 0; j < n; ++j) {
      double d = static_cast<double>(p[j]) - a[j].mean;
      a[j].m2 += d * d;
      a[j].dev += d;
    }
  }
  void end_pass(Acc& a, int pass, int64_t count) const {
    if (pass == 0) a.mean = a.sum / static_cast<double>(count);
  }
  void finish(const Acc& a, int64_t o, int64_t count) const {
    const double n = static_cast<double>(count);
    double dof = n - correction;
    if (dof < 0) dof = 0;
    double v = count > 0 ? (a.m2 - a.dev * a.dev / n) / dof : std::nan("");
    if (count > 0 && v < 0 && dof > 0) v = 0;
    store_double(*out, o, take_sqrt ? std::sqrt(v) : v);
    if (mean_out != nullptr) store_double(*mean_out, o, a.mean);
  }
};

// logsumexp: pass 0 finds the max, pass 1 sums exp(x - max) (an infinite max counts as 0).
template <typename T>
struct LogSumExpOp {
  struct Acc {
    double max;
    double sum;
  };
  static constexpr int kPasses = 2;
  const Tensor* out;
  void init(Acc& a) const { a = Acc{-std::numeric_limits<double>::infinity(), 0}; }
  void run(Acc& a, const T* p, int64_t n, int pass) const {
    if (pass == 0) {
      double m = a.max;
      for (int64_t i = 0; i < n; ++i) {
        double x = static_cast<double>(p[i]);
        if (x > m || is_nan(x)) m = x;
        if (is_nan(m)) break;
      }
      a.max = m;
      return;
    }
    double s = 0;
    if constexpr (std::is_same<T, float>::value) {
      // float32 inputs: exp in float (as PyTorch does), accumulation in double.
      const float m = static_cast<float>(a.max);
      for (int64_t i = 0; i < n; ++i) s += static_cast<double>(std::exp(p[i] - m));
    } else {
      for (int64_t i = 0; i < n; ++i) s += std::exp(static_cast<double>(p[i]) - a.max);
    }
    a.sum += s;
  }
  void row(Acc* a, const T* p, int64_t n, int pass) const {
    if (pass == 0) {
      for (int64_t j = 0; j < n; ++j) {
        double x = static_cast<double>(p[j]);
        if (x > a[j].max || is_nan(x)) a[j].max = is_nan(a[j].max) ? a[j].max : x;
      }
      return;
    }
    for (int64_t j = 0; j < n; ++j) a[j].sum += std::exp(static_cast<double>(p[j]) - a[j].max);
  }
  void end_pass(Acc& a, int pass, int64_t) const {
    if (pass == 0 && std::isinf(a.max)) a.max = 0;
  }
  void finish(const Acc& a, int64_t o, int64_t) const {
    store_double(*out, o, std::log(a.sum) + a.max);
  }
};

// Vector p-norms: ord = inf (max |x|), -inf (min |x|), 0 (count of nonzeros), 1, 2, or any p.
enum class NormKind { Inf, NegInf, Zero, One, Two, P };
template <typename T>
struct NormOp {
  using Acc = double;
  static constexpr int kPasses = 1;
  const Tensor* out;
  NormKind kind;
  double p;
  void init(Acc& a) const {
    a = kind == NormKind::NegInf ? std::numeric_limits<double>::infinity() : 0.0;
  }
  inline void add(Acc& a, double x) const {
    double ax = std::fabs(x);
    switch (kind) {
      case NormKind::Inf:
        a = (ax > a || is_nan(ax)) && !is_nan(a) ? ax : a;
        break;
      case NormKind::NegInf:
        a = (ax < a || is_nan(ax)) && !is_nan(a) ? ax : a;
        break;
      case NormKind::Zero:
        a += x != 0 ? 1.0 : 0.0;
        break;
      case NormKind::One:
        a += ax;
        break;
      case NormKind::Two:
        a += x * x;
        break;
      case NormKind::P:
        a += std::pow(ax, p);
        break;
    }
  }
  void run(Acc& a, const T* ptr, int64_t n, int) const {
    if (kind == NormKind::Two) {
      double s[4] = {0, 0, 0, 0};
      int64_t i = 0;
      for (; i + 4 <= n; i += 4)
        for (int k = 0; k < 4; ++k) {
          double x = static_cast<double>(ptr[i + k]);
          s[k] += x * x;
        }
      for (; i < n; ++i) {
        double x = static_cast<double>(ptr[i]);
        s[0] += x * x;
      }
      a += (s[0] + s[1]) + (s[2] + s[3]);
      return;
    }
    for (int64_t i = 0; i < n; ++i) add(a, static_cast<double>(ptr[i]));
  }
  void row(Acc* a, const T* ptr, int64_t n, int) const {
    if (kind == NormKind::Two) {
      for (int64_t j = 0; j < n; ++j) {
        double x = static_cast<double>(ptr[j]);
        a[j] += x * x;
      }
      return;
    }
    for (int64_t j = 0; j < n; ++j) add(a[j], static_cast<double>(ptr[j]));
  }
  void end_pass(Acc&, int, int64_t) const {}
  void finish(const Acc& a, int64_t o, int64_t) const {
    double v = a;
    if (kind == NormKind::Two)
      v = std::sqrt(a);
    else if (kind == NormKind::P)
      v = std::pow(a, 1.0 / p);
    store_double(*out, o, v);
  }
};

// Shared body of linalg_vector_norm / norm.ScalarOpt_dim once the arguments are parsed.
inline void vector_norm(KernelContext& ctx, const char* op, const Tensor& in, double ord,
                        const DimMask& mask, bool keepdim, const Tensor& out) {
  EMBER_KCHECK(ctx, is_floating(in.dtype()), "%s: expected a floating input, got %s", op,
               scalar_type_name(in.dtype()));
  EMBER_KCHECK(ctx, is_floating(out.dtype()), "%s: expected a floating output, got %s", op,
               scalar_type_name(out.dtype()));
  if (!check_reduced_out(ctx, op, in, mask, keepdim, out)) return;
  NormKind kind = NormKind::P;
  if (std::isinf(ord))
    kind = ord > 0 ? NormKind::Inf : NormKind::NegInf;
  else if (ord == 0)
    kind = NormKind::Zero;
  else if (ord == 1)
    kind = NormKind::One;
  else if (ord == 2)
    kind = NormKind::Two;
  EMBER_KCHECK(ctx, !is_nan(ord), "%s: ord is NaN", op);
  if (kind == NormKind::Inf || ord < 0) {  // no identity: PyTorch refuses empty reductions
    if (!check_nonempty_reduction(ctx, op, in, mask)) return;
  }
  Plan plan = make_plan(in, mask);
  if (in.dtype() == ScalarType::Float32) {
    run_reduction(in.data_as<const float>(), plan, NormOp<float>{&out, kind, ord});
  } else {
    run_reduction(in.data_as<const double>(), plan, NormOp<double>{&out, kind, ord});
  }
}

// Common argument checks of a reduction: real dtypes, no overlap, out shape.
inline bool check_reduction(KernelContext& ctx, const char* op, const Tensor& in,
                            const DimMask& mask, bool keepdim, const Tensor& out) {
  if (!is_real_dtype(in.dtype()) || !is_real_dtype(out.dtype())) {
    ctx.fail(Error::InvalidArgument, "%s: unsupported dtype (%s -> %s)", op,
             scalar_type_name(in.dtype()), scalar_type_name(out.dtype()));
    return false;
  }
  if (shape::overlaps(in, out)) {
    ctx.fail(Error::InvalidArgument, "%s: output overlaps the input", op);
    return false;
  }
  return check_reduced_out(ctx, op, in, mask, keepdim, out);
}

// sum / mean body: floating outputs accumulate in double, integer outputs in int64.
inline void sum_into(KernelContext& ctx, const char* op, const Tensor& in, const DimMask& mask,
                     bool keepdim, const Tensor& out, bool mean) {
  if (!check_reduction(ctx, op, in, mask, keepdim, out)) return;
  if (mean && !is_floating(out.dtype())) {
    ctx.fail(Error::InvalidArgument, "%s: mean needs a floating output, got %s", op,
             scalar_type_name(out.dtype()));
    return;
  }
  Plan plan = make_plan(in, mask);
  if (is_floating(out.dtype())) {
    EMBER_REDUCE_DISPATCH(in.dtype(),
                          run_reduction(in.data_as<const T>(), plan, SumDoubleOp<T>{&out, mean}));
  } else {
    EMBER_REDUCE_DISPATCH(in.dtype(),
                          run_reduction(in.data_as<const T>(), plan, SumIntOp<T>{&out}));
  }
}

// max/min (and arg-) reduction along one dim viewed as outer x n x inner (n > 0). Writes
// values (input dtype) and/or int64 indices; ties keep the first index, NaN wins (first NaN).
template <typename T, bool kMax>
inline bool arg_better(T x, T best) {
  if (is_nan(x)) return !is_nan(best);
  if constexpr (kMax) {
    return x > best;
  } else {
    return x < best;
  }
}

template <typename T, bool kMax>
inline void arg_reduce(const T* data, int64_t outer, int64_t n, int64_t inner, T* values,
                       int64_t* indices) {
  if (inner == 1) {
    for (int64_t o = 0; o < outer; ++o) {
      const T* p = data + o * n;
      T best = p[0];
      int64_t bi = 0;
      for (int64_t r = 1; r < n; ++r) {
        if (arg_better<T, kMax>(p[r], best)) {
          best = p[r];
          bi = r;
        }
      }
      if (values) values[o] = best;
      if (indices) indices[o] = bi;
    }
    return;
  }
  constexpr int64_t kChunk = 1024;
  T best[kChunk];
  int64_t bi[kChunk];
  for (int64_t o = 0; o < outer; ++o) {
    const T* base = data + o * n * inner;
    for (int64_t c0 = 0; c0 < inner; c0 += kChunk) {
      const int64_t c = inner - c0 < kChunk ? inner - c0 : kChunk;
      for (int64_t j = 0; j < c; ++j) {
        best[j] = base[c0 + j];
        bi[j] = 0;
      }
      for (int64_t r = 1; r < n; ++r) {
        const T* row = base + r * inner + c0;
        for (int64_t j = 0; j < c; ++j) {
          if (arg_better<T, kMax>(row[j], best[j])) {
            best[j] = row[j];
            bi[j] = r;
          }
        }
      }
      const int64_t ob = o * inner + c0;
      if (values)
        for (int64_t j = 0; j < c; ++j) values[ob + j] = best[j];
      if (indices)
        for (int64_t j = 0; j < c; ++j) indices[ob + j] = bi[j];
    }
  }
}

// Splits `in` around dim into outer x n x inner (dim < 0: the whole tensor as one dim).
inline void split_around(const Tensor& in, int64_t dim, int64_t* outer, int64_t* n,
                         int64_t* inner) {
  *outer = 1;
  *inner = 1;
  if (dim < 0 || in.dim() == 0) {
    *n = in.numel();
    return;
  }
  for (int i = 0; i < dim; ++i) *outer *= in.size(i);
  *n = in.size(static_cast<int>(dim));
  for (int i = static_cast<int>(dim) + 1; i < in.dim(); ++i) *inner *= in.size(i);
}

// Shared body of amax/amin/max.default/min.default (values only, any number of dims).
template <bool kMax>
inline void minmax_into(KernelContext& ctx, const char* op, const Tensor& in, const DimMask& mask,
                        bool keepdim, const Tensor& out) {
  if (!check_reduction(ctx, op, in, mask, keepdim, out)) return;
  if (!shape::check_same_dtype(ctx, op, in, out)) return;
  if (!check_nonempty_reduction(ctx, op, in, mask)) return;
  Plan plan = make_plan(in, mask);
  EMBER_REDUCE_DISPATCH(in.dtype(),
                        run_reduction(in.data_as<const T>(), plan, MinMaxOp<T, kMax>{&out}));
}

// Shared body of argmax/argmin (dim < 0: flattened) and max.dim/min.dim (values != nullptr).
template <bool kMax>
inline void arg_into(KernelContext& ctx, const char* op, const Tensor& in, int64_t dim,
                     bool keepdim, const Tensor* values, const Tensor& indices) {
  EMBER_KCHECK(ctx, is_real_dtype(in.dtype()), "%s: unsupported dtype", op);
  EMBER_KCHECK(ctx, indices.dtype() == ScalarType::Int64, "%s: indices must be int64", op);
  DimMask mask;
  if (dim < 0) {
    mask.all = true;
    for (int i = 0; i < in.dim(); ++i) mask.reduced[i] = true;
  } else if (in.dim() > 0) {
    mask.reduced[dim] = true;
  }
  if (!check_reduced_out(ctx, op, in, mask, keepdim, indices)) return;
  if (values != nullptr) {
    if (!check_reduced_out(ctx, op, in, mask, keepdim, *values)) return;
    if (!shape::check_same_dtype(ctx, op, in, *values)) return;
    EMBER_KCHECK(ctx, !shape::overlaps(*values, indices) && !shape::overlaps(in, *values),
                 "%s: outputs overlap", op);
  }
  EMBER_KCHECK(ctx, !shape::overlaps(in, indices), "%s: output overlaps the input", op);
  if (!check_nonempty_reduction(ctx, op, in, mask)) return;
  if (in.numel() == 0) return;  // an empty kept dim: nothing to write
  int64_t outer, n, inner;
  split_around(in, in.dim() == 0 ? -1 : dim, &outer, &n, &inner);
  EMBER_REDUCE_DISPATCH(in.dtype(), arg_reduce<T, kMax>(in.data_as<const T>(), outer, n, inner,
                                                        values ? values->data_as<T>() : nullptr,
                                                        indices.data_as<int64_t>()));
}

// Mask reducing every dim.
inline DimMask all_dims(const Tensor& in) {
  DimMask m;
  m.all = true;
  for (int i = 0; i < in.dim(); ++i) m.reduced[i] = true;
  return m;
}

// Shared kernels of the max / min twins (kMax picks the op).
// max.dim / min.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)
template <bool kMax>
inline void minmax_dim_kernel(KernelContext& ctx, const char* op, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 5);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 4);
  const Tensor& in = args[0]->tensor();
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), in.dim(), &dim)) return;
  arg_into<kMax>(ctx, op, in, in.dim() == 0 ? 0 : dim, args[2]->to_bool(), &args[3]->tensor(),
                 args[4]->tensor());
}
// max / min(Tensor self) -> Tensor: full reduction of a non-empty tensor.
template <bool kMax>
inline void minmax_all_kernel(KernelContext& ctx, const char* op, EValue** args, size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 1);
  const Tensor& in = args[0]->tensor();
  EMBER_KCHECK(ctx, in.numel() > 0, "%s: cannot reduce an empty tensor (no identity)", op);
  minmax_into<kMax>(ctx, op, in, all_dims(in), false, args[1]->tensor());
}

// Shared kernels of the sum / mean twins (`mean` divides by the count).
// (Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None, Tensor out)
inline void sum_dim_kernel(KernelContext& ctx, const char* op, EValue** args, size_t num_args,
                           bool mean) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 5);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_BOOL(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 4);
  if (!check_opt_dtype_arg(ctx, op, args[3])) return;
  const Tensor& in = args[0]->tensor();
  DimMask mask;
  EMBER_KCHECK(ctx, args[1] != nullptr, "%s: missing dim", op);
  if (!parse_dims(ctx, op, *args[1], in, true, &mask)) return;
  sum_into(ctx, op, in, mask, args[2]->to_bool(), args[4]->tensor(), mean);
}
// (Tensor self, *, ScalarType? dtype=None, Tensor out): reduces every dim.
inline void sum_all_kernel(KernelContext& ctx, const char* op, EValue** args, size_t num_args,
                           bool mean) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  if (!check_opt_dtype_arg(ctx, op, args[1])) return;
  const Tensor& in = args[0]->tensor();
  sum_into(ctx, op, in, all_dims(in), false, args[2]->tensor(), mean);
}

// prod body: double for floating outputs, int64 (wrapping) otherwise.
inline void prod_into(KernelContext& ctx, const char* op, const Tensor& in, const DimMask& mask,
                      bool keepdim, const Tensor& out) {
  if (!check_reduction(ctx, op, in, mask, keepdim, out)) return;
  Plan plan = make_plan(in, mask);
  if (is_floating(out.dtype())) {
    EMBER_REDUCE_DISPATCH(in.dtype(),
                          run_reduction(in.data_as<const T>(), plan, ProdDoubleOp<T>{&out}));
  } else {
    EMBER_REDUCE_DISPATCH(in.dtype(),
                          run_reduction(in.data_as<const T>(), plan, ProdIntOp<T>{&out}));
  }
}

// any / all body: output bool (or uint8, as PyTorch gives for uint8 inputs).
template <bool kAny>
inline void any_all_into(KernelContext& ctx, const char* op, const Tensor& in, const DimMask& mask,
                         bool keepdim, const Tensor& out) {
  if (!check_reduction(ctx, op, in, mask, keepdim, out)) return;
  EMBER_KCHECK(ctx, out.dtype() == ScalarType::Bool || out.dtype() == ScalarType::UInt8,
               "%s: output must be bool or uint8, got %s", op, scalar_type_name(out.dtype()));
  Plan plan = make_plan(in, mask);
  EMBER_REDUCE_DISPATCH(in.dtype(),
                        run_reduction(in.data_as<const T>(), plan, AnyAllOp<T, kAny>{&out}));
}

// var / std / var_mean body (floating input and outputs).
inline void var_into(KernelContext& ctx, const char* op, const Tensor& in, const DimMask& mask,
                     bool keepdim, double correction, bool take_sqrt, const Tensor& out,
                     const Tensor* mean_out) {
  if (!check_reduction(ctx, op, in, mask, keepdim, out)) return;
  EMBER_KCHECK(ctx, is_floating(in.dtype()) && is_floating(out.dtype()),
               "%s: var/std need floating tensors (%s -> %s)", op, scalar_type_name(in.dtype()),
               scalar_type_name(out.dtype()));
  if (mean_out != nullptr) {
    if (!check_reduced_out(ctx, op, in, mask, keepdim, *mean_out)) return;
    EMBER_KCHECK(ctx, is_floating(mean_out->dtype()), "%s: mean output must be floating", op);
    EMBER_KCHECK(ctx, !shape::overlaps(in, *mean_out) && !shape::overlaps(out, *mean_out),
                 "%s: outputs overlap", op);
  }
  Plan plan = make_plan(in, mask);
  if (in.dtype() == ScalarType::Float32)
    run_reduction(in.data_as<const float>(), plan,
                  VarOp<float>{&out, mean_out, correction, take_sqrt});
  else
    run_reduction(in.data_as<const double>(), plan,
                  VarOp<double>{&out, mean_out, correction, take_sqrt});
}

// Parses the (dim, correction | unbiased, keepdim) arguments shared by the var / std /
// var_mean overloads. `variant`: 0 = .correction (self, dim, correction, keepdim),
// 1 = .dim (self, dim, unbiased, keepdim), 2 = .default (self, unbiased).
inline bool parse_var_args(KernelContext& ctx, const char* op, EValue** args, size_t num_args,
                           int variant, size_t num_outputs, DimMask* mask, bool* keepdim,
                           double* correction) {
  const size_t nin = variant == 2 ? 2 : 4;
  if (num_args != nin + num_outputs) {
    ctx.fail(Error::InvalidArgument, "%s: expected %zu arguments, got %zu", op, nin + num_outputs,
             num_args);
    return false;
  }
  for (size_t i = 0; i < num_args; ++i)
    if (args[i] == nullptr) {
      ctx.fail(Error::InvalidArgument, "%s: null argument", op);
      return false;
    }
  if (!shape::is_tensor_arg(args, 0)) {
    ctx.fail(Error::InvalidArgument, "%s: argument 0 must be a valid tensor", op);
    return false;
  }
  for (size_t i = nin; i < num_args; ++i)
    if (!shape::is_tensor_arg(args, i)) {
      ctx.fail(Error::InvalidArgument, "%s: output %zu must be a valid tensor", op, i - nin);
      return false;
    }
  const Tensor& in = args[0]->tensor();
  *keepdim = false;
  *correction = 1;
  if (variant == 2) {
    if (!args[1]->is_bool()) {
      ctx.fail(Error::InvalidArgument, "%s: unbiased must be a bool", op);
      return false;
    }
    *correction = args[1]->to_bool() ? 1 : 0;
    *mask = all_dims(in);
    return true;
  }
  if (!parse_dims(ctx, op, *args[1], in, true, mask)) return false;
  if (variant == 0) {
    if (args[2]->is_int())
      *correction = static_cast<double>(args[2]->to_int());
    else if (args[2]->is_double())
      *correction = args[2]->to_double();
    else if (!args[2]->is_none()) {
      ctx.fail(Error::InvalidArgument, "%s: correction must be an int or None", op);
      return false;
    }
  } else {
    if (!args[2]->is_bool()) {
      ctx.fail(Error::InvalidArgument, "%s: unbiased must be a bool", op);
      return false;
    }
    *correction = args[2]->to_bool() ? 1 : 0;
  }
  if (!args[3]->is_bool()) {
    ctx.fail(Error::InvalidArgument, "%s: keepdim must be a bool", op);
    return false;
  }
  *keepdim = args[3]->to_bool();
  return true;
}

// ---------------------------------------------------------------------------------------------
// Sorting / selection along a dim, in place on (strided) output slices, without scratch.
// Order: by value (NaN greatest), descending or ascending; equal values by ascending index,
// which is what a stable sort gives.

template <typename T, bool kDescending>
inline bool sort_before(T va, int64_t ia, T vb, int64_t ib) {
  const bool na = is_nan(va), nb = is_nan(vb);
  if (na || nb) {
    if (na && nb) return ia < ib;
    return kDescending ? na : nb;  // NaN first when descending, last when ascending
  }
  if (va != vb) return kDescending ? va > vb : va < vb;
  return ia < ib;
}

// Max-heap with respect to sort_before (the root is the element that sorts last).
template <typename T, bool kDesc>
inline void sift_down(T* v, int64_t* ix, int64_t stride, int64_t start, int64_t end) {
  int64_t root = start;
  T rv = v[root * stride];
  int64_t ri = ix[root * stride];
  for (;;) {
    int64_t child = 2 * root + 1;
    if (child >= end) break;
    if (child + 1 < end && sort_before<T, kDesc>(v[child * stride], ix[child * stride],
                                                 v[(child + 1) * stride], ix[(child + 1) * stride]))
      ++child;
    if (!sort_before<T, kDesc>(rv, ri, v[child * stride], ix[child * stride])) break;
    v[root * stride] = v[child * stride];
    ix[root * stride] = ix[child * stride];
    root = child;
  }
  v[root * stride] = rv;
  ix[root * stride] = ri;
}

template <typename T, bool kDesc>
inline void heap_make(T* v, int64_t* ix, int64_t stride, int64_t n) {
  for (int64_t i = n / 2 - 1; i >= 0; --i) sift_down<T, kDesc>(v, ix, stride, i, n);
}

// Sorts a heap of n elements in place (first = sorts first).
template <typename T, bool kDesc>
inline void heap_sort(T* v, int64_t* ix, int64_t stride, int64_t n) {
  for (int64_t end = n - 1; end > 0; --end) {
    T tv = v[0];
    v[0] = v[end * stride];
    v[end * stride] = tv;
    int64_t ti = ix[0];
    ix[0] = ix[end * stride];
    ix[end * stride] = ti;
    sift_down<T, kDesc>(v, ix, stride, 0, end);
  }
}

// out slice (k entries, stride `stride`) <- the first k elements of the n-element input slice
// (stride `stride`) in sort order.
template <typename T, bool kDesc>
inline void select_sorted(const T* in, int64_t n, int64_t k, int64_t stride, T* v, int64_t* ix) {
  if (k <= 0) return;
  for (int64_t i = 0; i < k; ++i) {
    v[i * stride] = in[i * stride];
    ix[i * stride] = i;
  }
  heap_make<T, kDesc>(v, ix, stride, k);
  T rv = v[0];  // the root (worst kept element), cached: most candidates are rejected by it
  int64_t ri = ix[0];
  for (int64_t i = k; i < n; ++i) {
    T x = in[i * stride];
    if (sort_before<T, kDesc>(x, i, rv, ri)) {
      v[0] = x;
      ix[0] = i;
      sift_down<T, kDesc>(v, ix, stride, 0, k);
      rv = v[0];
      ri = ix[0];
    }
  }
  heap_sort<T, kDesc>(v, ix, stride, k);
}

// Shared body of topk and sort: for every slice along dim, the first k in sort order.
inline void sort_into(KernelContext& ctx, const char* op, const Tensor& in, int64_t dim, int64_t k,
                      bool descending, const Tensor& values, const Tensor& indices) {
  EMBER_KCHECK(ctx, is_real_dtype(in.dtype()), "%s: unsupported dtype", op);
  if (!shape::check_same_dtype(ctx, op, in, values)) return;
  EMBER_KCHECK(ctx, indices.dtype() == ScalarType::Int64, "%s: indices must be int64", op);
  int64_t sizes[kMaxDims];
  for (int i = 0; i < in.dim(); ++i) sizes[i] = i == dim ? k : in.size(i);
  if (!shape::check_out_shape(ctx, op, values, sizes, in.dim())) return;
  if (!shape::check_out_shape(ctx, op, indices, sizes, in.dim())) return;
  EMBER_KCHECK(ctx,
               !shape::overlaps(in, values) && !shape::overlaps(in, indices) &&
                   !shape::overlaps(values, indices),
               "%s: outputs overlap", op);
  if (values.numel() == 0) return;
  int64_t outer, n, inner;
  split_around(in, in.dim() == 0 ? -1 : dim, &outer, &n, &inner);
  EMBER_REDUCE_DISPATCH(in.dtype(), {
    const T* src = in.data_as<const T>();
    T* vv = values.data_as<T>();
    int64_t* iv = indices.data_as<int64_t>();
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t j = 0; j < inner; ++j) {
        const T* s = src + o * n * inner + j;
        T* v = vv + o * k * inner + j;
        int64_t* ix = iv + o * k * inner + j;
        if (inner == 1 && k == n && n > 1) {
          // Full sort of a contiguous slice: introsort of the indices, then gather.
          for (int64_t i = 0; i < n; ++i) ix[i] = i;
          if (descending)
            std::sort(ix, ix + n,
                      [s](int64_t a, int64_t b) { return sort_before<T, true>(s[a], a, s[b], b); });
          else
            std::sort(ix, ix + n, [s](int64_t a, int64_t b) {
              return sort_before<T, false>(s[a], a, s[b], b);
            });
          for (int64_t i = 0; i < n; ++i) v[i] = s[ix[i]];
        } else if (descending) {
          select_sorted<T, true>(s, n, k, inner, v, ix);
        } else {
          select_sorted<T, false>(s, n, k, inner, v, ix);
        }
      }
    }
  });
}

}  // namespace reduce
}  // namespace kernels
}  // namespace ember
