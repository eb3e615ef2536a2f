// A dense, contiguous, row-major tensor view over memory it does not own.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/core/scalar_type.h"

namespace ember {

constexpr int kMaxDims = 8;

class Tensor {
 public:
  Tensor() = default;
  Tensor(ScalarType dtype, int dim, const int64_t* sizes, void* data) : dtype_(dtype), data_(data) {
    set_sizes(dim, sizes);
  }

  ScalarType dtype() const { return dtype_; }
  int dim() const { return dim_; }
  const int64_t* sizes() const { return sizes_; }
  int64_t size(int d) const { return sizes_[d < 0 ? d + dim_ : d]; }
  int64_t numel() const {
    int64_t n = 1;
    for (int i = 0; i < dim_; ++i) n *= sizes_[i];
    return n;
  }
  size_t nbytes() const { return static_cast<size_t>(numel()) * element_size(dtype_); }
  // Row-major stride of dimension d, in elements.
  int64_t stride(int d) const {
    int64_t s = 1;
    for (int i = dim_ - 1; i > d; --i) s *= sizes_[i];
    return s;
  }

  void* data() const { return data_; }
  template <typename T>
  T* data_as() const { return static_cast<T*>(data_); }
  void set_data(void* p) { data_ = p; }
  void set_dtype(ScalarType t) { dtype_ = t; }
  // Caller guarantees dim <= kMaxDims (checked where sizes come from untrusted input).
  void set_sizes(int dim, const int64_t* sizes) {
    dim_ = dim;
    for (int i = 0; i < dim; ++i) sizes_[i] = sizes[i];
  }
  bool same_shape(const Tensor& o) const {
    if (dim_ != o.dim_) return false;
    for (int i = 0; i < dim_; ++i)
      if (sizes_[i] != o.sizes_[i]) return false;
    return true;
  }

 private:
  ScalarType dtype_ = ScalarType::Float32;
  int32_t dim_ = 0;
  int64_t sizes_[kMaxDims] = {0};
  void* data_ = nullptr;
};

}  // namespace ember
