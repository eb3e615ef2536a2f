// Helpers shared by the portable kernels: argument checks, dtype dispatch, broadcasting.
#pragma once

#include <cstdint>
#include <cstring>

#include "runtime/core/kernel.h"

namespace ember {
namespace kernels {

// Fails the kernel (and returns from it) when `cond` is false.
#define EMBER_KCHECK(ctx, cond, ...)                     \
  do {                                                   \
    if (!(cond)) {                                       \
      (ctx).fail(::ember::Error::InvalidArgument, __VA_ARGS__); \
      return;                                            \
    }                                                    \
  } while (0)

// Checks arity and that the listed args are tensors; use at the top of each kernel.
#define EMBER_KCHECK_NARGS(ctx, op, num_args, expected)                                        \
  EMBER_KCHECK(ctx, (num_args) == (expected), "%s: expected %d arguments, got %zu", op, \
               (int)(expected), (size_t)(num_args))

inline bool is_floating(ScalarType t) {
  return t == ScalarType::Float32 || t == ScalarType::Float64;
}

// Normalizes a possibly negative dimension; returns -1 when out of range.
inline int64_t normalize_dim(int64_t d, int64_t ndim) {
  if (ndim == 0) ndim = 1;  // scalars accept dim 0 / -1 like PyTorch
  if (d < -ndim || d >= ndim) return -1;
  return d < 0 ? d + ndim : d;
}

// Maps a linear index in `out` to the linear index in a broadcast input `in`
// (right-aligned broadcasting, size-1 dims repeat).
struct BroadcastIndexer {
  int ndim = 0;
  int64_t out_sizes[kMaxDims];
  int64_t in_strides[kMaxDims];  // 0 where the input broadcasts
  void init(const Tensor& out, const Tensor& in) {
    ndim = out.dim();
    int offset = out.dim() - in.dim();
    int64_t stride = 1;
    for (int i = ndim - 1; i >= 0; --i) {
      out_sizes[i] = out.size(i);
      int j = i - offset;
      if (j >= 0) {
        in_strides[i] = in.size(j) == 1 ? 0 : stride;
        stride *= in.size(j);
      } else {
        in_strides[i] = 0;
      }
    }
  }
  int64_t map(int64_t linear) const {
    int64_t idx = 0;
    for (int i = ndim - 1; i >= 0 && linear > 0; --i) {
      int64_t c = linear % out_sizes[i];
      linear /= out_sizes[i];
      idx += c * in_strides[i];
    }
    return idx;
  }
};

// True when `in` broadcasts to `out`'s shape.
inline bool broadcastable_to(const Tensor& in, const Tensor& out) {
  if (in.dim() > out.dim()) return false;
  int offset = out.dim() - in.dim();
  for (int i = 0; i < in.dim(); ++i)
    if (in.size(i) != 1 && in.size(i) != out.size(i + offset)) return false;
  return true;
}

// Reads element i of a tensor of any supported real dtype as double / int64.
inline double load_as_double(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case ScalarType::Float32: return t.data_as<const float>()[i];
    case ScalarType::Float64: return t.data_as<const double>()[i];
    case ScalarType::Int64: return static_cast<double>(t.data_as<const int64_t>()[i]);
    case ScalarType::Int32: return t.data_as<const int32_t>()[i];
    case ScalarType::Int16: return t.data_as<const int16_t>()[i];
    case ScalarType::Int8: return t.data_as<const int8_t>()[i];
    case ScalarType::UInt8: return t.data_as<const uint8_t>()[i];
    case ScalarType::Bool: return t.data_as<const bool>()[i] ? 1.0 : 0.0;
    default: return 0.0;
  }
}
inline int64_t load_as_int(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case ScalarType::Float32: return static_cast<int64_t>(t.data_as<const float>()[i]);
    case ScalarType::Float64: return static_cast<int64_t>(t.data_as<const double>()[i]);
    case ScalarType::Int64: return t.data_as<const int64_t>()[i];
    case ScalarType::Int32: return t.data_as<const int32_t>()[i];
    case ScalarType::Int16: return t.data_as<const int16_t>()[i];
    case ScalarType::Int8: return t.data_as<const int8_t>()[i];
    case ScalarType::UInt8: return t.data_as<const uint8_t>()[i];
    case ScalarType::Bool: return t.data_as<const bool>()[i] ? 1 : 0;
    default: return 0;
  }
}
inline void store_from_double(const Tensor& t, int64_t i, double v) {
  switch (t.dtype()) {
    case ScalarType::Float32: t.data_as<float>()[i] = static_cast<float>(v); break;
    case ScalarType::Float64: t.data_as<double>()[i] = v; break;
    case ScalarType::Int64: t.data_as<int64_t>()[i] = static_cast<int64_t>(v); break;
    case ScalarType::Int32: t.data_as<int32_t>()[i] = static_cast<int32_t>(v); break;
    case ScalarType::Int16: t.data_as<int16_t>()[i] = static_cast<int16_t>(v); break;
    case ScalarType::Int8: t.data_as<int8_t>()[i] = static_cast<int8_t>(v); break;
    case ScalarType::UInt8: t.data_as<uint8_t>()[i] = static_cast<uint8_t>(v); break;
    case ScalarType::Bool: t.data_as<bool>()[i] = v != 0.0; break;
    default: break;
  }
}
inline void store_from_int(const Tensor& t, int64_t i, int64_t v) {
  switch (t.dtype()) {
    case ScalarType::Float32: t.data_as<float>()[i] = static_cast<float>(v); break;
    case ScalarType::Float64: t.data_as<double>()[i] = static_cast<double>(v); break;
    case ScalarType::Int64: t.data_as<int64_t>()[i] = v; break;
    case ScalarType::Int32: t.data_as<int32_t>()[i] = static_cast<int32_t>(v); break;
    case ScalarType::Int16: t.data_as<int16_t>()[i] = static_cast<int16_t>(v); break;
    case ScalarType::Int8: t.data_as<int8_t>()[i] = static_cast<int8_t>(v); break;
    case ScalarType::UInt8: t.data_as<uint8_t>()[i] = static_cast<uint8_t>(v); break;
    case ScalarType::Bool: t.data_as<bool>()[i] = v != 0; break;
    default: break;
  }
}

// Copies `src` into `dst` (same numel), converting dtype when they differ.
inline void copy_convert(const Tensor& src, const Tensor& dst) {
  int64_t n = dst.numel();
  if (src.dtype() == dst.dtype()) {
    if (src.data() != dst.data()) memmove(dst.data(), src.data(), dst.nbytes());
    return;
  }
  if (is_floating(dst.dtype()) || is_floating(src.dtype())) {
    for (int64_t i = 0; i < n; ++i) store_from_double(dst, i, load_as_double(src, i));
  } else {
    for (int64_t i = 0; i < n; ++i) store_from_int(dst, i, load_as_int(src, i));
  }
}

}  // namespace kernels
}  // namespace ember
